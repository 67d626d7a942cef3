import { ActivityLog } from "@/components/activity/activity-log";
import { PageShell } from "@/components/nav/page-shell";
import { requirePageSession } from "@/lib/auth/page-session";

import { Providers } from "../providers";

export const metadata = { title: "Activity · Roster" };

/** The activity log: what admins did, newest first, with the chain check and the CSV export. */
export default async function ActivityPage() {
  const session = await requirePageSession("/activity");
  return (
    <PageShell current="/activity" session={session}>
      <Providers>
        <ActivityLog />
      </Providers>
    </PageShell>
  );
}
