import type { ReactNode } from "react";

import type { AppPage } from "./app-nav";
import { PageHeader } from "./page-header";

/**
 * Every page but the dashboard and People (full-height lists with their own
 * bars): the app's header over the page, which starts at the header's left
 * edge on every page, so the title does not jump when the admin switches
 * pages. Forms keep a readable width inside it; lists and logs take it all.
 */
export function PageShell({
  current,
  session,
  children,
}: {
  current: AppPage;
  session: { email: string; name: string | null };
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-dvh flex-col">
      <PageHeader current={current} session={session} />
      <main className="flex w-full min-w-0 flex-1 flex-col gap-6 px-4 py-6 sm:px-6">
        {children}
      </main>
    </div>
  );
}
