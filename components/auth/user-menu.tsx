"use client";

import { useState } from "react";

import { buttonClass } from "@/components/ui/button";

export interface UserMenuProps {
  email: string;
  name: string | null;
}

/** Who is signed in, and the way out. Rendered by the page header with the server's session. */
export function UserMenu({ email, name }: UserMenuProps) {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <div className="flex min-w-0 items-center gap-3 text-sm">
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
        onClick={async () => {
          setPending(true);
          setFailed(false);
          // Fetched on the click: no page needs the sign-out request before it.
          const signedOut = await import("./csrf").then(
            ({ requestSignOut }) => requestSignOut(),
            () => false,
          );
          if (signedOut) {
            // A full load, not a client navigation: it drops every cached page of user data.
            // eslint-disable-next-line @next/next/no-location-assign-relative-destination
            window.location.assign("/signin");
          } else {
            setPending(false);
            setFailed(true);
          }
        }}
        className={`${buttonClass.secondary} shrink-0 whitespace-nowrap`}
      >
        Sign out
      </button>
      {failed && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          Sign-out failed. Try again.
        </p>
      )}
    </div>
  );
}
