import type { Metadata } from "next";

import { PageShell } from "@/components/nav/page-shell";
import { OffboardingCheck } from "@/components/offboarding/offboarding-check";
import { requirePageSession } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Offboarding check · Roster" };

/** Paste the leavers and see, asked live, who still has access at each vendor. */
export default async function OffboardingPage() {
  const session = await requirePageSession("/offboarding");
  return (
    <PageShell current="/offboarding" session={session}>
      <h1 className="text-xl font-semibold">Offboarding check</h1>
      <OffboardingCheck personLinks />
    </PageShell>
  );
}
