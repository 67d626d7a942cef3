import { notFound } from "next/navigation";

import { PageHeader } from "@/components/nav/page-header";
import { BackToPeople } from "@/components/people/back-to-people";
import { PersonDetail } from "@/components/people/person-detail";
import { SyncedAsOf } from "@/components/people/synced-as-of";
import { requirePageSession } from "@/lib/auth/page-session";
import { getDb } from "@/lib/db/client";
import { getPerson, personKeyFrom } from "@/lib/people/person";

/** A person's page, rendered on the server from the directory: shareable and reload-safe. */
export default async function PersonPage({ params }: { params: Promise<{ email: string }> }) {
  const segment = decodeURIComponent((await params).email);
  const session = await requirePageSession(`/people/${encodeURIComponent(segment)}`);
  const detail =
    segment.trim() === "" ? null : await getPerson(await getDb(), personKeyFrom(segment));
  if (!detail) notFound();
  const { person } = detail;
  return (
    <div className="flex min-h-dvh flex-col">
      <PageHeader current="/people" session={session} />
      <main className="mx-auto flex w-full max-w-6xl flex-col gap-4 px-4 py-6 sm:px-6">
        <div>
          <BackToPeople personKey={person.key} />
          <h1 className="text-xl font-semibold break-all">
            {person.email ?? person.accounts.openai[0]?.name ?? person.key}
          </h1>
          <SyncedAsOf asOf={detail.asOf} />
        </div>
        <PersonDetail detail={detail} />
      </main>
    </div>
  );
}
