import "server-only";

import { and, desc, eq, sql } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { TRACKED_FIELDS } from "@/lib/directory/schema";
import { trackedValues, type TrackedSource } from "@/lib/directory/tracked";
import { reviewItems, reviews } from "@/lib/db/schema";
import { selectRows } from "@/lib/db/select-rows";
import type { ProviderId } from "@/lib/users/schema";

import { ensurePeople, peopleConfig, PLUS_TAG, type PeopleConfig } from "./build";
import { toPerson } from "./list";
import type { HistoryEvent, Person, PersonDetail, PersonReview } from "./schema";

/** The person key a URL segment names: an email, trimmed and lowercased, or an `account:` key as is. */
export function personKeyFrom(segment: string): string {
  return segment.startsWith("account:") ? segment : segment.trim().toLowerCase();
}

interface VersionRow extends TrackedSource {
  provider: ProviderId;
  user_id: string;
  from_snapshot: number | string;
  to_snapshot: number | string | null;
  from_at: Date | string | null;
  to_at: Date | string | null;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/**
 * Events from the versions of each account (oldest first): the first version
 * is "added", a version that ends where the next begins is "changed" with its
 * field differences, a gap or an end with no successor is "removed".
 */
export function historyFromVersions(rows: readonly VersionRow[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let previous: VersionRow | null = null;
  const base = (row: VersionRow) => ({ provider: row.provider, userId: row.user_id });
  const close = (row: VersionRow | null) => {
    if (row && row.to_snapshot !== null) {
      events.push({ ...base(row), event: "removed", at: iso(row.to_at), changes: [] });
    }
  };
  for (const row of rows) {
    const same = previous?.provider === row.provider && previous.user_id === row.user_id;
    if (previous && same && Number(previous.to_snapshot) === Number(row.from_snapshot)) {
      const [a, b] = [trackedValues(previous), trackedValues(row)];
      const changes = TRACKED_FIELDS.map((field) => ({
        field,
        from: a[field],
        to: b[field],
      })).filter((c) => JSON.stringify(c.from) !== JSON.stringify(c.to));
      if (changes.length > 0) {
        events.push({ ...base(row), event: "changed", at: iso(row.from_at), changes });
      }
    } else {
      close(previous);
      events.push({ ...base(row), event: "added", at: iso(row.from_at), changes: [] });
    }
    previous = row;
  }
  close(previous);
  return events.sort((a, b) => (a.at ?? "").localeCompare(b.at ?? "")).reverse();
}

async function history(db: Db, key: string): Promise<HistoryEvent[]> {
  const account = /^account:(telnyx|openai):(.+)$/.exec(key);
  const which = account
    ? sql`u.provider = ${account[1]} and u.user_id = ${account[2]}`
    : sql`(u.provider, u.user_id) in (select provider, user_id from directory_users where email_key = ${key})`;
  const rows = await selectRows<VersionRow>(
    db,
    sql`
      select u.provider, u.user_id, u.from_snapshot, u.to_snapshot, u.email, u.name, u.status,
        u.role, u.groups, u.vendor, fs.finished_at as from_at, ts.finished_at as to_at
      from directory_users u
      join directory_snapshots fs on fs.id = u.from_snapshot
      left join directory_snapshots ts on ts.id = u.to_snapshot
      where ${which}
      order by u.provider, u.user_id, u.from_snapshot`,
  );
  return historyFromVersions(rows);
}

/**
 * One person with their history, or null when no vendor has or had an account
 * for the key. Someone whose every account was removed is still found, with no
 * accounts: "does Ana still have access anywhere?" has an answer.
 */
export async function getPerson(
  db: Db,
  key: string,
  config: PeopleConfig = peopleConfig(),
): Promise<PersonDetail | null> {
  const state = await ensurePeople(db, config);
  const [row] = await selectRows<{
    key: string;
    email: string | null;
    flags: string[];
    accounts: Person["accounts"];
    roster: Person["roster"];
    base_key: string | null;
  }>(db, sql`select key, email, flags, accounts, roster, base_key from people where key = ${key}`);
  const events = await history(db, key);
  if (!row && events.length === 0) return null;
  const person: Person = row
    ? toPerson(row, config)
    : {
        key,
        email: key.includes("@") ? key : null,
        accounts: { telnyx: [], openai: [] },
        flags: [],
        roster: null,
      };
  const baseKey = row?.base_key ?? key.replace(new RegExp(PLUS_TAG), "$1$2");
  const near = key.includes("@")
    ? await selectRows<{ key: string }>(
        db,
        sql`select key from people where base_key = ${baseKey} and key <> ${key} order by key collate "C" limit 20`,
      )
    : [];
  return {
    person,
    history: events,
    reviews: await reviewsOf(db, key),
    nearMatches: near.map((n) => n.key),
    asOf: state.asOf,
  };
}

/** The review items whose frozen account had this person's address (or, keyless, this account). */
async function reviewsOf(db: Db, key: string): Promise<PersonReview[]> {
  const account = /^account:(telnyx|openai):(.+)$/.exec(key);
  const rows = await db
    .select({
      reviewId: reviews.id,
      name: reviews.name,
      state: reviews.state,
      provider: reviewItems.provider,
      userId: reviewItems.userId,
      decision: reviewItems.decision,
      decidedBy: reviewItems.decidedBy,
      decidedAt: reviewItems.decidedAt,
    })
    .from(reviewItems)
    .innerJoin(reviews, eq(reviews.id, reviewItems.reviewId))
    .where(
      account
        ? and(eq(reviewItems.provider, account[1]!), eq(reviewItems.userId, account[2]!))
        : // The frozen account's version has this key (lowercased by JavaScript at the sync, so
          // whatever the database's locale). Accounts that ever had the key first, then the version.
          and(
            sql`(${reviewItems.provider}, ${reviewItems.userId}) in (select provider, user_id from directory_users where email_key = ${key})`,
            sql`exists (select 1 from directory_users u where u.provider = ${reviewItems.provider} and u.user_id = ${reviewItems.userId} and u.email_key = ${key} and u.from_snapshot <= ${reviewItems.snapshotId} and (u.to_snapshot is null or u.to_snapshot > ${reviewItems.snapshotId}))`,
          ),
    )
    .orderBy(desc(reviews.id), reviewItems.provider)
    .limit(100);
  return rows.map((row) => ({
    ...row,
    provider: row.provider as PersonReview["provider"],
    decision: row.decision as PersonReview["decision"],
    decidedAt: row.decidedAt?.toISOString() ?? null,
  }));
}
