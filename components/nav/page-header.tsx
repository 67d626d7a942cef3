import type { ReactNode } from "react";

import { UserMenu } from "@/components/auth/user-menu";
import { ThemeToggle } from "@/components/theme/theme-toggle";

import { AppNav, type AppPage } from "./app-nav";
import { Brand } from "./brand";

/** The header of every page but the dashboard: brand, the app's pages, theme and the admin's menu. */
export function AppHeader({ current, userMenu }: { current: AppPage; userMenu: ReactNode }) {
  return (
    <header className="flex flex-wrap items-center gap-x-6 gap-y-3 border-b border-zinc-200 px-4 py-3 sm:px-6 dark:border-zinc-800">
      <Brand />
      <AppNav current={current} />
      <div className="ml-auto flex min-w-0 items-center gap-3">
        <ThemeToggle />
        {userMenu}
      </div>
    </header>
  );
}

/** `AppHeader` for a server page, with the signed-in admin's menu. */
export function PageHeader({
  current,
  session,
}: {
  current: AppPage;
  session: { email: string; name: string | null };
}) {
  return (
    <AppHeader
      current={current}
      userMenu={<UserMenu email={session.email} name={session.name} />}
    />
  );
}
