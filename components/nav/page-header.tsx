import type { ReactNode } from "react";

import { UserMenu } from "@/components/auth/user-menu";
import { ThemeToggle } from "@/components/theme/theme-toggle";

import { AppNav, type AppPage } from "./app-nav";
import { Brand } from "./brand";

/**
 * The header of every page but the dashboard: brand, the app's pages, theme
 * and the admin's menu. Narrow, as on the dashboard: brand and admin, then the
 * pages (wrapping), then the theme; from `sm` up, one wrapping line.
 */
export function AppHeader({ current, userMenu }: { current: AppPage; userMenu: ReactNode }) {
  return (
    <header className="grid grid-cols-[auto_minmax(0,1fr)] items-center gap-x-6 gap-y-3 border-b border-zinc-200 px-4 py-3 [grid-template-areas:'brand_user'_'nav_nav'_'theme_theme'] sm:flex sm:flex-wrap sm:px-6 dark:border-zinc-800">
      <div className="[grid-area:brand]">
        <Brand />
      </div>
      <AppNav current={current} className="[grid-area:nav]" />
      <div className="justify-self-end [grid-area:theme] sm:ml-auto">
        <ThemeToggle />
      </div>
      <div className="flex min-w-0 justify-end [grid-area:user]">{userMenu}</div>
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
