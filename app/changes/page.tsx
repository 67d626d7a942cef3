import type { Metadata } from "next";

import { ChangesView } from "@/components/changes/changes-view";
import { PageShell } from "@/components/nav/page-shell";
import { requirePageSession } from "@/lib/auth/page-session";

import { Providers } from "../providers";

export const metadata: Metadata = { title: "Changes · Roster" };

/** Who changed in the directory between two syncs. */
export default async function ChangesPage() {
  const session = await requirePageSession("/changes");
  return (
    <Providers>
      <PageShell current="/changes" session={session}>
        <h1 className="text-xl font-semibold">Changes</h1>
        <ChangesView />
      </PageShell>
    </Providers>
  );
}
