import { notFound } from "next/navigation";

import { UserMenu } from "@/components/auth/user-menu";
import { BackToPeople } from "@/components/people/back-to-people";
import { AppNav } from "@/components/nav/app-nav";
import { PersonDetail } from "@/components/people/person-detail";
import { SyncedAsOf } from "@/components/people/synced-as-of";
import { ThemeToggle } from "@/components/theme/theme-toggle";
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
      <header className="flex flex-wrap items-center gap-x-6 gap-y-3 border-b border-zinc-200 px-4 py-3 sm:px-6 dark:border-zinc-800">
        <BackToPeople personKey={person.key} />
        <AppNav current="/people" />
        <div className="ml-auto flex items-center gap-3">
          <ThemeToggle />
          <UserMenu email={session.email} name={session.name} />
        </div>
      </header>
      <main className="mx-auto flex w-full max-w-6xl flex-col gap-4 px-4 py-6 sm:px-6">
        <div>
          <h2 className="text-xl font-semibold break-all">
            {person.email ?? person.accounts.openai[0]?.name ?? person.key}
          </h2>
          <SyncedAsOf asOf={detail.asOf} />
        </div>
        <PersonDetail detail={detail} />
      </main>
    </div>
  );
}
