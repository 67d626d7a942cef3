import type { Metadata } from "next";

import { ChangesView } from "@/components/changes/changes-view";
import { PageHeader } from "@/components/nav/page-header";
import { requirePageSession } from "@/lib/auth/page-session";

import { Providers } from "../providers";

export const metadata: Metadata = { title: "Changes · Roster" };

/** Who changed in the directory between two syncs. */
export default async function ChangesPage() {
  const session = await requirePageSession("/changes");
  return (
    <Providers>
      <div className="flex min-h-dvh flex-col">
        <PageHeader current="/changes" session={session} />
        <main className="flex-1 px-4 py-4 sm:px-6">
          <h1 className="mb-4 text-xl font-semibold">Changes</h1>
          <ChangesView />
        </main>
      </div>
    </Providers>
  );
}
