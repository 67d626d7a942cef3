import type { Metadata } from "next";
import { Suspense } from "react";

import { ChangesView } from "@/components/changes/changes-view";
import { PageShell } from "@/components/nav/page-shell";
import { pathWithQuery, type PageSearchParams } from "@/lib/auth/callback-url";
import { requirePageSession } from "@/lib/auth/page-session";

import { Providers } from "../providers";

export const metadata: Metadata = { title: "Changes · Roster" };

/** Who changed in the directory between two syncs. */
export default async function ChangesPage({
  searchParams,
}: {
  searchParams: Promise<PageSearchParams>;
}) {
  const session = await requirePageSession(pathWithQuery("/changes", await searchParams));
  return (
    <Providers>
      <PageShell current="/changes" session={session}>
        <h1 className="text-xl font-semibold">Changes</h1>
        <Suspense>
          <ChangesView />
        </Suspense>
      </PageShell>
    </Providers>
  );
}
