import "server-only";

import { ApiError } from "@/lib/api/errors";
import { isStorableText } from "@/lib/api/text";

import { createHash } from "node:crypto";

import { sql, type SQL } from "drizzle-orm";

import type { Db } from "@/lib/db/client";
import { selectRows } from "@/lib/db/select-rows";

import {
  currentGeneration,
  ensurePeople,
  peopleConfig,
  type PeopleConfig,
  type PeopleState,
} from "./build";
import { explainFlags } from "./reasons";
import type { PeoplePage, PeopleQuery, Person } from "./schema";
import type { PeopleFilters } from "./contract";

interface PersonRow {
  key: string;
  email: string | null;
  flags: string[];
  accounts: Person["accounts"];
  roster: Person["roster"];
}

export function toPerson(row: PersonRow, config: PeopleConfig): Person {
  return {
    key: row.key,
    email: row.email,
    accounts: row.accounts,
    flags: explainFlags(row.flags, row, config),
    roster: row.roster,
  };
}

function filterDigest(filters: PeopleFilters): string {
  // Sets, not lists: the same filters asked in another order take the same cursor.
  const canonical = JSON.stringify([
    filters.email ?? null,
    [...filters.flags].sort(),
    [...filters.vendors].sort(),
  ]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

/**
 * The opaque cursor: the last key served, the build it came from and the
 * filters it was made for. A rebuild between pages (a sync, a roster change)
 * makes it invalid rather than silently skipping or repeating people.
 */
function encodeCursor(generation: number, filters: PeopleFilters, key: string): string {
  return Buffer.from(JSON.stringify({ g: generation, f: filterDigest(filters), k: key })).toString(
    "base64url",
  );
}

function decodeCursor(cursor: string, generation: number, filters: PeopleFilters): string {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    payload = null;
  }
  const p = payload as { g?: unknown; f?: unknown; k?: unknown } | null;
  // A key the database can compare: a forged one holding a NUL would fail the query (500).
  if (
    !p ||
    typeof p.k !== "string" ||
    !isStorableText(p.k) ||
    typeof p.g !== "number" ||
    typeof p.f !== "string"
  ) {
    throw new ApiError(
      "invalid_cursor",
      "cursor is not a nextCursor of this API; start again without a cursor",
    );
  }
  if (p.f !== filterDigest(filters)) {
    throw new ApiError(
      "invalid_cursor",
      "cursor was made for other filters; start again without a cursor",
    );
  }
  if (p.g !== generation) {
    throw new ApiError(
      "invalid_cursor",
      "people were rebuilt from newer data since this list began; start again without a cursor",
    );
  }
  return p.k;
}

/** The WHERE clause of the filters: every flag must hold, any of the vendors may. */
function whereFilters(filters: PeopleFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (filters.flags.length > 0) {
    parts.push(sql`flags @> string_to_array(${filters.flags.join(",")}, ',')`);
  }
  if (filters.vendors.length > 0) {
    parts.push(sql`vendors && string_to_array(${filters.vendors.join(",")}, ',')`);
  }
  if (filters.email) {
    // `key` was lowercased by JavaScript (the sync's `email_key`), so the filter is too: SQL's
    // lower() follows the database's locale, which under `C` leaves É, Ж or Σ as they are.
    parts.push(sql`email is not null and strpos(key, ${filters.email.toLowerCase()}) > 0`);
  }
  return sql.join(parts, sql` and `);
}

function isUnfiltered(filters: PeopleFilters): boolean {
  return !filters.email && filters.vendors.length === 0;
}

/** How many people of the build in `state` match `filters` (the list's `total`, the export's count). */
export async function countMatching(
  db: Db,
  state: PeopleState,
  filters: PeopleFilters,
): Promise<number> {
  if (isUnfiltered(filters) && filters.flags.length === 0) return state.total;
  const [only] = filters.flags;
  if (isUnfiltered(filters) && filters.flags.length === 1 && only) return state.counts[only];
  const [row] = await selectRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from people where ${whereFilters(filters)}`,
  );
  return row?.n ?? 0;
}

async function readPage(
  db: Db,
  filters: PeopleFilters,
  after: string | null,
  limit: number,
): Promise<PersonRow[]> {
  return selectRows<PersonRow>(
    db,
    sql`
    select key, email, flags, accounts, roster from people
    where ${whereFilters(filters)}
      ${after === null ? sql`` : sql`and key collate "C" > ${after}`}
    order by key collate "C"
    limit ${limit}`,
  );
}

/** One page of people in key order (bytewise), with the counts and "as of" of the build. */
export async function listPeople(
  db: Db,
  query: PeopleQuery,
  config: PeopleConfig = peopleConfig(),
): Promise<PeoplePage> {
  const state = await ensurePeople(db, config);
  const after = query.cursor ? decodeCursor(query.cursor, state.generation, query) : null;
  const rows = await readPage(db, query, after, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => toPerson(row, state.config)),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor(state.generation, query, last.key) : null,
    total: await countMatching(db, state, query),
    counts: state.counts,
    asOf: state.asOf,
  };
}

/**
 * Every matching person, a chunk at a time (for the export). Pinned to one
 * build: a rebuild midway fails the export with 409 `list_changed` instead of
 * mixing two builds. `signal` stops the reads.
 */
export async function* iteratePeople(
  db: Db,
  filters: PeopleFilters,
  state: PeopleState,
  options: { chunk?: number; signal?: AbortSignal } = {},
): AsyncGenerator<Person[]> {
  const { chunk = 1000, signal } = options;
  let after: string | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const rows = await readPage(db, filters, after, chunk);
    if ((await currentGeneration(db)) !== state.generation) {
      throw new ApiError(
        "list_changed",
        "People were rebuilt from newer data during the export; export again.",
      );
    }
    if (rows.length > 0) yield rows.map((row) => toPerson(row, state.config));
    const last = rows.at(-1);
    if (rows.length < chunk || !last) return;
    after = last.key;
  }
}
