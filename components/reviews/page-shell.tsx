import type { ReactNode } from "react";

import { PageHeader } from "@/components/nav/page-header";

/** The Reviews and Activity pages: the app's header over a centred column. */
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
      <PageHeader current={current} session={session} />
      <main className="mx-auto flex w-full max-w-6xl min-w-0 flex-1 flex-col gap-6 px-4 py-6 sm:px-6">
        {children}
      </main>
    </div>
  );
}
