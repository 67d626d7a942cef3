import type { Metadata } from "next";

import { PageHeader } from "@/components/nav/page-header";
import { OffboardingCheck } from "@/components/offboarding/offboarding-check";
import { requirePageSession } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Offboarding check · Roster" };

/** Paste the leavers and see, asked live, who still has access at each vendor. */
export default async function OffboardingPage() {
  const session = await requirePageSession("/offboarding");
  return (
    <div className="flex min-h-dvh flex-col">
      <PageHeader current="/offboarding" session={session} />
      <main className="flex flex-1 flex-col">
        <h1 className="mx-auto w-full max-w-5xl px-4 pt-6 text-xl font-semibold sm:px-6">
          Offboarding check
        </h1>
        <OffboardingCheck personLinks />
      </main>
    </div>
  );
}
