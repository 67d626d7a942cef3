import { notFound } from "next/navigation";

import { PageShell } from "@/components/nav/page-shell";
import { BackToPeople } from "@/components/people/back-to-people";
import { PersonDetail } from "@/components/people/person-detail";
import { SyncedAsOf } from "@/components/people/synced-as-of";
import { isStorableText } from "@/lib/api/text";
import { requirePageSession } from "@/lib/auth/page-session";
import { getDb } from "@/lib/db/client";
import { getPerson, personKeyFrom } from "@/lib/people/person";
import { rosterInForce } from "@/lib/people/roster";

/** A person's page, rendered on the server from the directory: shareable and reload-safe. */
export default async function PersonPage({ params }: { params: Promise<{ email: string }> }) {
  // Next.js hands a page its params percent-encoded (its route handlers get them decoded).
  const segment = decodeURIComponent((await params).email);
  const session = await requirePageSession(`/people/${encodeURIComponent(segment)}`);
  const db = await getDb();
  const detail =
    segment.trim() === "" || !isStorableText(segment)
      ? null
      : await getPerson(db, personKeyFrom(segment));
  if (!detail) notFound();
  const roster = await rosterInForce(db);
  const { person } = detail;
  return (
    <PageShell current="/people" session={session}>
      <div>
        <BackToPeople personKey={person.key} />
        <h1 className="text-xl font-semibold break-all">
          {person.email ?? person.accounts.openai[0]?.name ?? person.key}
        </h1>
        <SyncedAsOf asOf={detail.asOf} />
      </div>
      <PersonDetail detail={detail} roster={roster} />
    </PageShell>
  );
}
