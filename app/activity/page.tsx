import { Suspense } from "react";

import { ActivityLog } from "@/components/activity/activity-log";
import { PageShell } from "@/components/nav/page-shell";
import { pathWithQuery, type PageSearchParams } from "@/lib/auth/callback-url";
import { requirePageSession } from "@/lib/auth/page-session";

import { Providers } from "../providers";

export const metadata = { title: "Activity · Roster" };

/** The activity log: what admins did, newest first, with the chain check and the CSV export. */
export default async function ActivityPage({
  searchParams,
}: {
  searchParams: Promise<PageSearchParams>;
}) {
  const session = await requirePageSession(pathWithQuery("/activity", await searchParams));
  return (
    <PageShell current="/activity" session={session}>
      <Providers>
        <Suspense>
          <ActivityLog />
        </Suspense>
      </Providers>
    </PageShell>
  );
}
