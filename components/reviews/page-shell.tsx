import Link from "next/link";
import type { ReactNode } from "react";

import { UserMenu } from "@/components/auth/user-menu";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { focusRing } from "@/components/ui/button";

const LINKS = [
  { href: "/", label: "Users" },
  { href: "/reviews", label: "Reviews" },
  { href: "/activity", label: "Activity" },
] as const;

/**
 * The header of the Reviews and Activity pages: brand, their links and the
 * admin. Meant to give way to the app-wide navigation when it lands.
 */
export function PageShell({
  current,
  session,
  children,
}: {
  current: "/reviews" | "/activity";
  session: { email: string; name: string | null };
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex flex-wrap items-center gap-x-6 gap-y-3 border-b border-zinc-200 px-4 py-3 sm:px-6 dark:border-zinc-800">
        <p className="flex items-center gap-2 text-lg font-semibold tracking-tight">
          <span
            aria-hidden="true"
            className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white"
          >
            R
          </span>
          Roster
        </p>
        <nav aria-label="Main" className="flex gap-1">
          {LINKS.map((link) => (
            <Link
              key={link.href}
              href={link.href}
              aria-current={link.href === current ? "page" : undefined}
              className={`rounded-md px-2.5 py-1 text-sm font-medium text-zinc-700 hover:bg-zinc-100 aria-[current=page]:bg-zinc-100 aria-[current=page]:text-zinc-950 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-zinc-800 dark:aria-[current=page]:text-white ${focusRing}`}
            >
              {link.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-4">
          <ThemeToggle />
          <UserMenu email={session.email} name={session.name} />
        </div>
      </header>
      <main className="mx-auto flex w-full max-w-6xl min-w-0 flex-1 flex-col gap-6 px-4 py-6 sm:px-6">
        {children}
      </main>
    </div>
  );
}
