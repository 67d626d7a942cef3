import { UserMenu } from "@/components/auth/user-menu";
import { ThemeToggle } from "@/components/theme/theme-toggle";

import { AppNav, type AppPage } from "./app-nav";

/** The header of every page but the dashboard: brand, the app's pages, theme and the admin. */
export function PageHeader({
  current,
  session,
}: {
  current: AppPage;
  session: { email: string; name: string | null };
}) {
  return (
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
      <AppNav current={current} />
      <div className="ml-auto flex min-w-0 items-center gap-3">
        <ThemeToggle />
        <UserMenu email={session.email} name={session.name} />
      </div>
    </header>
  );
}
