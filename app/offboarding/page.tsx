import type { Metadata } from "next";

import { UserMenu } from "@/components/auth/user-menu";
import { AppNav } from "@/components/nav/app-nav";
import { OffboardingCheck } from "@/components/offboarding/offboarding-check";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { requirePageSession } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Offboarding check · Roster" };

/** Paste the leavers and see, asked live, who still has access at each vendor. */
export default async function OffboardingPage() {
  const session = await requirePageSession("/offboarding");
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
        <AppNav current="/offboarding" />
        <div className="ml-auto flex min-w-0 items-center gap-3">
          <ThemeToggle />
          <UserMenu email={session.email} name={session.name} />
        </div>
      </header>
      <main className="flex flex-1 flex-col">
        <h1 className="mx-auto w-full max-w-5xl px-4 pt-6 text-xl font-semibold sm:px-6">
          Offboarding check
        </h1>
        {/* Person links stay off until the people pages exist. */}
        <OffboardingCheck personLinks={false} />
      </main>
    </div>
  );
}
