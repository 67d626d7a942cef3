"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

import { buttonClass } from "@/components/ui/button";

export interface UserMenuProps {
  email: string;
  name: string | null;
}

/** Who is signed in, and the way out. Rendered by the page header with the server's session. */
export function UserMenu({ email, name }: UserMenuProps) {
  const [pending, setPending] = useState(false);
  return (
    <div className="flex items-center gap-3 text-sm">
      <p className="min-w-0 truncate text-zinc-600 dark:text-zinc-400" title={email}>
        <span className="sr-only">Signed in as </span>
        {name ? (
          <>
            <span className="font-medium text-zinc-900 dark:text-zinc-100">{name}</span> {email}
          </>
        ) : (
          <span className="font-medium text-zinc-900 dark:text-zinc-100">{email}</span>
        )}
      </p>
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          setPending(true);
          void signOut({ callbackUrl: "/signin" });
        }}
        className={`${buttonClass.secondary} shrink-0 whitespace-nowrap`}
      >
        Sign out
      </button>
    </div>
  );
}
