import "server-only";

import { hash as digest } from "node:crypto";

import { and, count, eq, gt, inArray, isNull, lt, lte, ne, sql, type SQL } from "drizzle-orm";

import { ApiError } from "@/lib/api/errors";
import { toStorableText } from "@/lib/api/text";
import { isPostgresServer, type Db } from "@/lib/db/client";
import { databaseTime } from "@/lib/db/clock";
import { yieldToEventLoop } from "@/lib/db/event-loop";
import { jsonbArray, JsonbScratch } from "@/lib/db/json-param";
import { directoryStaging, directoryUsers, snapshots } from "@/lib/db/schema";
import { pgTimestamp } from "@/lib/db/schema/timestamp";
import { databaseUnavailableReason } from "@/lib/db/unavailable";
import { ACTIVITY_KEYS } from "@/lib/providers/activity";
import type { ExportPageInfo, UsersReader } from "@/lib/providers/types";
import { PROVIDER_LABELS } from "@/lib/users/contract";
import type { ProviderId, User } from "@/lib/users/schema";
import { formatCount } from "@/lib/users/format-count";

import { PageGaps, SUSPECTS_PER_GAP, type OrderKey } from "./page-gaps";
import { upkeepAfterSync } from "./vacuum";

/** A running sync whose heartbeat is older than this died with its instance; the next sync takes over. */
export const STALE_SYNC_MS = 3 * 60_000;

/**
 * The lease's and the snapshot's times (heartbeat, finished) come from the
 * database's clock, which every instance shares, as `startedAt` does (its
 * default): an instance whose own clock ran minutes ahead took a live sync on
 * another instance for dead, and one behind left a dead one standing.
 */
const DATABASE_NOW = databaseTime();

/** How often a running sync writes its heartbeat and progress, and looks for a cancel. */
const HEARTBEAT_MS = 1000;

/**
 * How long a sync cut by its database going away (a restart) keeps trying to
 * record its end, and how often: recorded, its lease is free as soon as the
 * database is back, rather than in STALE_SYNC_MS.
 */
const RECORD_END_MS = 60_000;
const RECORD_END_RETRY_MS = 500;

/** Users closed or published per statement of a publish. */
const PUBLISH_CHUNK = 10_000;

/** Current users' hashes read per statement at the start of a sync. */
const HASH_CHUNK = 10_000;

/** A version's hash: sha256 in hex. */
const HASH_LENGTH = 64;

/** An activity's hash: the first half of a sha256 in hex (a change of one user's activity to tell). */
const ACTIVITY_LENGTH = 32;

/** In place of the activity's hash of a version written before migration 0009, which has none. */
const LEGACY_ACTIVITY = "-".repeat(ACTIVITY_LENGTH);

/** Vendor pages read at once by a sync (Telnyx), as the export does. */
export interface SyncOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** Rows staged so far, after every page. */
  onProgress?: (progress: { rows: number; total: number | null }) => void;
  /** Users per statement of the publish (tests make it small); default PUBLISH_CHUNK. */
  publishChunk?: number;
  /** Current users' hashes read per statement (tests make it small); default HASH_CHUNK. */
  hashChunk?: number;
}

/** How each vendor's endpoint is read by a sync: what the completeness proof names. */
const ENDPOINTS: Record<ProviderId, { endpoint: string; parameters: Record<string, unknown> }> = {
  telnyx: {
    endpoint: "GET /v2/organizations/users",
    parameters: { "page[size]": 250, include_groups: true },
  },
  openai: { endpoint: "GET /v1/organization/users", parameters: { limit: 100 } },
};

export interface CompletenessProof {
  endpoint: string;
  parameters: Record<string, unknown>;
  pagesRead: number;
  /** The last page's paging fields: Telnyx `page_number` and `total_pages`, OpenAI `has_more: false`. */
  lastPage: ExportPageInfo["marker"] | null;
  /** The vendor's own count (Telnyx `meta.total_results`), or null where it reports none. */
  vendorTotal: number | null;
  rowsWritten: number;
  duplicates: number;
  reconciled: boolean;
  /**
   * Numbered pages (Telnyx; absent for a cursor): the check for users a
   * shifted page skipped (see `skippedSuspects`). `pageGaps`: boundaries
   * between pages read; `confirmedRemoved`: users of the previous snapshot
   * not read whose place was in a gap, each of which the vendor answered 404
   * for before the publish. `inVendorOrder: false`: the pages were not in
   * created-time order, so no gap could be placed and nothing was checked.
   */
  skipCheck?: { pageGaps: number; confirmedRemoved: number; inVendorOrder: boolean };
}

/**
 * Takes the lease for a sync of `provider`: a `running` snapshot row, at most
 * one per vendor across every instance (a unique index). A running row whose
 * instance stopped beating is marked failed first. 409 `sync_running` when a
 * live sync holds it.
 */
export async function beginSync(
  db: Db,
  provider: ProviderId,
  startedBy: string,
): Promise<{ snapshotId: number }> {
  await db
    .update(snapshots)
    .set({
      state: "failed",
      finishedAt: DATABASE_NOW,
      errorCode: "sync_abandoned",
      errorMessage: "The instance running this sync stopped before it finished.",
    })
    .where(
      and(
        eq(snapshots.provider, provider),
        eq(snapshots.state, "running"),
        lt(snapshots.heartbeatAt, databaseTime(STALE_SYNC_MS)),
      ),
    );
  // Rows a dead or failed sync left behind (its instance stopped before it cleaned up).
  const ended = db
    .select({ id: snapshots.id })
    .from(snapshots)
    .where(and(eq(snapshots.provider, provider), ne(snapshots.state, "running")));
  await db.delete(directoryStaging).where(inArray(directoryStaging.snapshotId, ended));
  try {
    const [row] = await db
      .insert(snapshots)
      .values({ provider, state: "running", startedBy })
      .returning({ id: snapshots.id });
    if (!row) throw new Error("no snapshot row returned");
    return { snapshotId: row.id };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ApiError("sync_running", `A sync of ${provider} is already running.`);
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/** The escapes PostgreSQL's jsonb refuses (NUL, a lone surrogate), an escaped backslash kept whole. */
const JSONB_REFUSED = /\\(?:\\|u(?:0000|d[89a-f][0-9a-f]{2}))/g;

/**
 * As inside `JSON.stringify` of an array (a value with no JSON form is
 * `null`), in a form jsonb stores: a NUL or a lone surrogate (a vendor that
 * cut an emoji in half) becomes U+FFFD, so that one odd name cannot fail every
 * sync. Other text is unchanged, and so is its hash.
 */
function json(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  if (!text.includes("\\u")) return text;
  return text.replace(JSONB_REFUSED, (escape) => (escape === "\\\\" ? escape : "\\ufffd"));
}

/**
 * A read user as its row's JSON text, keyed by column name as
 * `jsonb_populate_recordset` reads it (a page goes to the database as one JSON
 * parameter, which both drivers bind far faster than a parameter per value).
 * The same text is a row of `directory_staging` (`snapshot_id`,
 * `activity_only`) and a row of `directory_users` (`provider`,
 * `from_snapshot`; open, as `to_snapshot` is absent): each table reads the
 * keys it has. And its two hashes:
 *
 * - `hash`, the version's: the sha256 of
 *   `JSON.stringify([email, name, status, role, createdAt, groups, vendor])`,
 *   the vendor's record without its activity keys (lib/providers/activity.ts).
 *   A new version is stored only when it differs.
 * - `activity`, the sha256 (first 32 hex digits) of
 *   `JSON.stringify([lastActiveAt, activity])`, `activity` the record's
 *   activity keys with their values: when only it differs, the current
 *   version is updated in place, so a sign-in is not a version.
 *
 * `legacyHash` is the hash versions written before migration 0009 hold (the
 * activity in it): computed only to compare with one of those.
 *
 * Each field is serialized once for all of it (`legacyHash` serializes the
 * vendor's record whole once more); the record is most of the work. Its
 * activity keys go last in the stored record, whose key order jsonb does not
 * keep anyway.
 */
export function stagedUser(snapshotId: number, user: User): StagedUser {
  const email = json(user.email);
  const name = json(user.name);
  const status = json(user.status);
  const role = json(user.role);
  const createdAt = json(user.createdAt);
  const lastActiveAt = json(user.lastActiveAt);
  const groups = json(user.groups);
  const { tracked, moving } = splitActivity(user.vendor, ACTIVITY_KEYS[user.provider]);
  const vendorTracked = json(tracked);
  const vendorMoving = json(moving);
  const hash = digest(
    "sha256",
    `[${email},${name},${status},${role},${createdAt},${groups},${vendorTracked}]`,
  );
  const activity = digest("sha256", `[${lastActiveAt},${vendorMoving}]`).slice(0, ACTIVITY_LENGTH);
  const legacyHash = () =>
    digest(
      "sha256",
      `[${email},${name},${status},${role},${createdAt},${lastActiveAt},${groups},${json(user.vendor)}]`,
    );
  // Built only for a user that is new, changed or active.
  const row = (activityOnly: boolean) =>
    `{"snapshot_id":${json(snapshotId)},"provider":${json(user.provider)},` +
    `"from_snapshot":${json(snapshotId)},"user_id":${json(toStorableText(user.id))},"email":${email},` +
    `"email_key":${json(user.email?.trim().toLowerCase() ?? null)},"name":${name},` +
    `"status":${status},"role":${role},"created_at":${storedTime(user.createdAt, createdAt)},` +
    `"last_active_at":${storedTime(user.lastActiveAt, lastActiveAt)},"groups":${groups},"vendor":${joinRecords(vendorTracked, vendorMoving)},` +
    `"hash":"${hash}","activity_hash":"${activity}","activity_only":${activityOnly}}`;
  return { hash, activity, legacyHash, row };
}

/** Two JSON objects' texts as one object's (their keys apart). */
function joinRecords(first: string, second: string): string {
  if (second === "{}") return first;
  if (first === "{}") return second;
  return `${first.slice(0, -1)},${second.slice(1)}`;
}

export interface StagedUser {
  /** The version's hash: what Roster tracks of the user. */
  hash: string;
  /** The activity's hash (ACTIVITY_LENGTH hex digits). */
  activity: string;
  /** The hash of a version written before migration 0009. */
  legacyHash: () => string;
  /** The row's JSON; `activityOnly`: an update of the current version's activity. */
  row: (activityOnly: boolean) => string;
}

/**
 * The vendor's record split into what is versioned and its activity keys
 * (those it has, with a value JSON keeps), each in the record's own order.
 * Copied by a `for...in` over the parsed record (own keys only: it has no
 * prototype keys), twice as fast here as `Object.entries` and `fromEntries`;
 * a key `__proto__` is defined, not assigned, so that it stays a key.
 */
function splitActivity(
  record: Record<string, unknown>,
  keys: readonly string[],
): { tracked: Record<string, unknown>; moving: Record<string, unknown> } {
  if (!keys.some((key) => Object.hasOwn(record, key))) return { tracked: record, moving: {} };
  const tracked: Record<string, unknown> = {};
  const moving: Record<string, unknown> = {};
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = record[key];
    const into = keys.includes(key) ? moving : tracked;
    if (into === moving && value === undefined) continue;
    if (key === "__proto__") {
      Object.defineProperty(into, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      into[key] = value;
    }
  }
  return { tracked, moving };
}

/** A time's JSON as the row stores it: past year 9999 in the form PostgreSQL reads (the hash keeps `text`). */
function storedTime(iso: string | null, text: string): string {
  return iso?.startsWith("+") ? json(pgTimestamp(iso)) : text;
}

/** Where a sync writes the users it reads (see `runSync`). */
interface Target {
  /** Writes the users: the transaction open for the whole sync (in place), or the database. */
  writer: Db;
  /**
   * A PostgreSQL server: in place, straight into `directory_users`. PGlite:
   * into `directory_staging`.
   */
  server: boolean;
  /** The page buffer the writer reuses (one page's statement in flight at a time). */
  scratch: JsonbScratch;
}

/**
 * One page's users that are new or changed (as row JSON), the ids of the
 * changed ones, and the users whose activity alone moved (as row JSON).
 */
interface PageWrite {
  rows: string[];
  changed: string[];
  activity: string[];
}

/** What a page's write did in place: versions closed, and current versions' activity updated. */
interface InPlace {
  closed: number;
  activity: number;
}

/**
 * Writes a page: to staging (the activity rows too, marked), or in place,
 * where the changed users' current versions close first (one current version
 * per user) and the active users' are updated. Returns what it did in place.
 */
async function writePage(
  target: Target,
  provider: ProviderId,
  snapshotId: number,
  page: PageWrite,
): Promise<InPlace> {
  if (!target.server) {
    const rows = page.activity.length > 0 ? [...page.rows, ...page.activity] : page.rows;
    if (rows.length > 0) {
      await target.writer.execute(
        sql`insert into ${directoryStaging} select * from jsonb_populate_recordset(null::${directoryStaging}, ${jsonbArray(rows, target.scratch)})`,
      );
    }
    return { closed: 0, activity: 0 };
  }
  const closed = await closeVersions(target.writer, provider, snapshotId, page.changed);
  if (page.rows.length > 0) {
    await target.writer.execute(
      sql`insert into ${directoryUsers} select * from jsonb_populate_recordset(null::${directoryUsers}, ${jsonbArray(page.rows, target.scratch)})`,
    );
  }
  const activity =
    page.activity.length === 0
      ? 0
      : await updateActivity(
          target.writer,
          provider,
          snapshotId,
          sql`jsonb_populate_recordset(null::${directoryUsers}, ${jsonbArray(page.activity, target.scratch)})`,
        );
  return { closed, activity };
}

/**
 * Updates the activity of current versions in place from `source` (rows with
 * `user_id`, `last_active_at`, `vendor`, `hash`, `activity_hash`, as `read`),
 * marked as updated at `snapshotId`. Returns how many it found.
 */
async function updateActivity(
  db: Db,
  provider: ProviderId,
  snapshotId: number,
  source: SQL,
): Promise<number> {
  const seen = sql.raw("seen");
  const rows = await db
    .update(directoryUsers)
    .set({
      lastActiveAt: sql`${seen}.last_active_at`,
      vendor: sql`${seen}.vendor`,
      hash: sql`${seen}.hash`,
      activityHash: sql`${seen}.activity_hash`,
      activitySnapshot: snapshotId,
    })
    .from(sql`${source} as ${seen}`)
    .where(
      and(
        eq(directoryUsers.provider, provider),
        isNull(directoryUsers.toSnapshot),
        eq(directoryUsers.userId, sql`${seen}.user_id`),
      ),
    )
    .returning({ one: sql<number>`1` });
  return rows.length;
}

/**
 * The current versions of `provider`'s users `ids`: the ids go as one jsonb
 * parameter, so a statement takes any number of them.
 */
function currentVersionsOf(provider: ProviderId, ids: readonly string[]): SQL | undefined {
  return and(
    eq(directoryUsers.provider, provider),
    isNull(directoryUsers.toSnapshot),
    inArray(
      directoryUsers.userId,
      sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`,
    ),
  );
}

/** Closes the current versions of `ids` at `snapshotId`; returns how many it found. */
async function closeVersions(
  db: Db,
  provider: ProviderId,
  snapshotId: number,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .update(directoryUsers)
    .set({ toSnapshot: snapshotId })
    .where(currentVersionsOf(provider, ids))
    .returning({ id: directoryUsers.userId });
  return rows.length;
}

/**
 * The hashes of every current user of `provider`, by id: what a sync compares
 * each user it reads with, the version's then the activity's (LEGACY_ACTIVITY
 * for a version written before migration 0009). Read `chunk` users per
 * statement in id order, with a turn of the event loop between, so that the
 * vendor's pages keep arriving meanwhile (PGlite runs each statement on this
 * thread). Each chunk comes back as one JSON array of `hash || activity || id`
 * (fixed lengths): one value to decode instead of a row per user, 2.5x less
 * time on this thread for 100,000 users on PGlite (0.18 s vs 0.45 s), and JSON
 * keeps any character of an id.
 */
async function currentHashes(
  db: Db,
  provider: ProviderId,
  chunk: number,
): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  const both = HASH_LENGTH + ACTIVITY_LENGTH;
  for (let after: string | null = null; ;) {
    const page = db
      .select({
        id: directoryUsers.userId,
        hash: directoryUsers.hash,
        activity: directoryUsers.activityHash,
      })
      .from(directoryUsers)
      .where(
        and(
          eq(directoryUsers.provider, provider),
          isNull(directoryUsers.toSnapshot),
          after === null ? undefined : gt(directoryUsers.userId, after),
        ),
      )
      .orderBy(directoryUsers.userId)
      .limit(chunk)
      .as("page");
    const [row]: { entries: string[] | null }[] = await db
      .select({
        entries: sql<
          string[] | null
        >`json_agg(${page.hash} || coalesce(${page.activity}, ${LEGACY_ACTIVITY}) || ${page.id} order by ${page.id})`,
      })
      .from(page);
    const entries: string[] = row?.entries ?? [];
    for (const entry of entries) hashes.set(entry.slice(both), entry.slice(0, both));
    const last: string | undefined = entries.at(-1);
    if (entries.length < chunk || last === undefined) return hashes;
    after = last.slice(both);
    await yieldToEventLoop();
  }
}

/** What a read user is, compared with its current version. */
type Comparison = "new" | "changed" | "activity" | "same";

function compare(staged: StagedUser, current: string | undefined): Comparison {
  if (current === undefined) return "new";
  const hash = current.slice(0, HASH_LENGTH);
  const activity = current.slice(HASH_LENGTH);
  if (activity === LEGACY_ACTIVITY) {
    // Hashed with the activity in it: unchanged by that hash, its row takes the new hashes in place.
    return staged.legacyHash() === hash ? "activity" : "changed";
  }
  if (hash !== staged.hash) return "changed";
  return activity === staged.activity ? "same" : "activity";
}

/**
 * What a sync has read so far, compared with the current snapshot as it goes:
 * every id once (a second sighting is a duplicate), the users whose current
 * version must close (changed; at the end also those never read), and those
 * whose activity alone moved.
 */
class Reading {
  readonly ids = new Set<string>();
  duplicates = 0;
  rows = 0;
  /** New and changed users, written in full, and those whose activity alone moved. */
  staged = 0;
  /** Ids whose current version differs from what was read. */
  readonly changed: string[] = [];
  /** Users whose current version's activity is updated in place. */
  activity = 0;

  constructor(
    private readonly snapshotId: number,
    private readonly current: ReadonlyMap<string, string>,
  ) {}

  /** Counts a page and returns what to write of it: new, changed and active users only. */
  take(batch: readonly User[]): PageWrite {
    const page: PageWrite = { rows: [], changed: [], activity: [] };
    for (const user of batch) {
      this.rows++;
      const id = toStorableText(user.id);
      if (this.ids.has(id)) {
        this.duplicates++;
        continue;
      }
      this.ids.add(id);
      const staged = stagedUser(this.snapshotId, user);
      const comparison = compare(staged, this.current.get(id));
      if (comparison === "same") continue;
      if (comparison === "activity") {
        page.activity.push(staged.row(true));
        continue;
      }
      if (comparison === "changed") page.changed.push(id);
      page.rows.push(staged.row(false));
    }
    this.changed.push(...page.changed);
    this.activity += page.activity.length;
    this.staged += page.rows.length + page.activity.length;
    return page;
  }

  /** Current users the vendor no longer lists. */
  gone(): string[] {
    return [...this.current.keys()].filter((id) => !this.ids.has(id));
  }
}

class SyncCancelled extends Error {}

/**
 * The abort reason when this server stops while it syncs (see `stopSyncs`):
 * the sync is recorded as failed with `server_stopped`, not as an admin's cancel.
 * Known by its name, not `instanceof`: Next.js bundles the code that stops
 * (instrumentation) apart from the route that may have started the sync.
 */
export class ServerStopping extends Error {
  override readonly name = "ServerStopping";
  constructor() {
    super("The server stopped during the sync; the previous snapshot stays current.");
  }
}

function isServerStopping(reason: unknown): reason is ServerStopping {
  return reason instanceof Error && reason.name === "ServerStopping";
}

/** Another instance took the sync over (its heartbeat had stopped) and recorded it as abandoned. */
class LeaseLost extends Error {}

/** What was read, or what the directory would hold, does not reconcile: nothing is published. */
class NotReconciled extends Error {
  constructor(
    message: string,
    readonly proof: CompletenessProof,
  ) {
    super(message);
  }
}

/**
 * Reads every user of the vendor through the adapter's export path (groups
 * included) and compares each with its current version: only new and changed
 * users are written, page by page, with one page's write in flight while the
 * adapter reads the next. Then it checks the completeness proof and publishes
 * the snapshot. Where the users go:
 *
 * - On a PostgreSQL server, in place: into `directory_users`, in one
 *   transaction open for the whole sync. Other connections keep reading the
 *   previous snapshot until it commits (MVCC), and any failure rolls it back,
 *   so each user is written once and the publish only closes the versions of
 *   users gone.
 * - On PGlite, which has one connection (a transaction open that long would
 *   hold up every reader): into `directory_staging`, published at the end in
 *   one short transaction.
 *
 * Whatever goes wrong (vendor failure, a count that does not reconcile, a
 * cancel from any instance, a lease another instance took over), nothing is
 * published, the failure is recorded with its code, and the previous snapshot
 * stays current. Never throws for a vendor failure: the outcome is in the
 * snapshot row.
 */
export async function runSync(
  db: Db,
  adapter: UsersReader,
  snapshotId: number,
  options: SyncOptions,
): Promise<"succeeded" | "failed" | "cancelled"> {
  const server = isPostgresServer(db);
  const { outcome, analyze } = await syncAndRecord(db, server, adapter, snapshotId, options);
  // Not while the server stops: the next sync reclaims the space as well.
  const reclaim = !server && !isServerStopping(options.signal?.reason);
  await upkeepAfterSync(db, adapter.id, { analyze, reclaim });
  return outcome;
}

/**
 * `runSync` without the upkeep after it: the outcome, recorded with the
 * snapshot, and whether fresh statistics are due: once a tenth of the vendor
 * changed (as autovacuum would; PGlite runs none). A quiet re-sync skips them.
 */
async function syncAndRecord(
  db: Db,
  server: boolean,
  adapter: UsersReader,
  snapshotId: number,
  options: SyncOptions,
): Promise<{ outcome: "succeeded" | "failed" | "cancelled"; analyze: boolean }> {
  const provider = adapter.id;
  try {
    const scratch = new JsonbScratch();
    const { written, population } = server
      ? await db.transaction((tx) =>
          readAndPublish(db, { writer: tx, server, scratch }, adapter, snapshotId, options),
        )
      : await readAndPublish(db, { writer: db, server, scratch }, adapter, snapshotId, options);
    return { outcome: "succeeded", analyze: written > 50 + population / 10 };
  } catch (error) {
    return {
      outcome: await recordFailure(db, provider, snapshotId, options, error),
      analyze: false,
    };
  }
}

/** Records why a sync failed or was cancelled, and drops what it staged. */
async function recordFailure(
  db: Db,
  provider: ProviderId,
  snapshotId: number,
  options: SyncOptions,
  error: unknown,
): Promise<"failed" | "cancelled"> {
  if (error instanceof LeaseLost) {
    // The snapshot row already says why; only this sync's staged rows are left to drop.
    await db.delete(directoryStaging).where(eq(directoryStaging.snapshotId, snapshotId));
    return "failed";
  }
  if (error instanceof NotReconciled) {
    await fail(db, snapshotId, "not_reconciled", error.message, error.proof);
    return "failed";
  }
  const reason: unknown = options.signal?.reason;
  if (isServerStopping(reason)) {
    await fail(db, snapshotId, "server_stopped", reason.message, null);
    return "failed";
  }
  if (error instanceof SyncCancelled || options.signal?.aborted) {
    await fail(db, snapshotId, "cancelled", "The sync was cancelled.", null, "cancelled");
    return "cancelled";
  }
  const unreachable = error instanceof ApiError ? null : databaseUnavailableReason(error);
  if (unreachable !== null) {
    console.warn(`[roster] sync ${provider}: database_unavailable (${unreachable})`);
    await fail(
      db,
      snapshotId,
      "database_unavailable",
      "The database stopped answering during the sync; the previous snapshot stays current.",
      null,
    );
    return "failed";
  }
  const code = error instanceof ApiError ? error.code : "internal_error";
  const message =
    error instanceof ApiError
      ? syncFailureMessage(provider, error)
      : "The sync failed on the server; see its log.";
  if (!(error instanceof ApiError)) {
    console.error(`[roster] sync ${provider}: unexpected ${(error as Error)?.name ?? error}`);
  }
  await fail(db, snapshotId, code, message, null);
  return "failed";
}

/**
 * A vendor's failure as the sync records it. The adapters' words for a list
 * that moved on while it was read tell an admin to start the list again; a
 * sync publishes nothing then, and syncing again reads the list anew.
 */
function syncFailureMessage(provider: ProviderId, error: ApiError): string {
  const vendor = PROVIDER_LABELS[provider];
  const after = "so nothing was published; a new sync reads it again.";
  if (error.code === "list_changed") {
    return `The ${vendor} user list changed while the sync read it (users were added or removed), ${after}`;
  }
  if (error.code === "cursor_expired") {
    return `The ${vendor} user the sync had read up to was removed before the next page, ${after}`;
  }
  return error.message;
}

/**
 * The read and the publish of `runSync`. The heartbeat, the progress and the
 * cancel go through `db`, outside the writer's transaction, so that every
 * instance sees them while the sync runs. Returns the versions written and
 * closed, and the population published.
 */
async function readAndPublish(
  db: Db,
  target: Target,
  adapter: UsersReader,
  snapshotId: number,
  options: SyncOptions,
): Promise<{ written: number; population: number }> {
  const provider = adapter.id;
  const pages: ExportPageInfo[] = [];
  let vendorTotal: number | null = null;
  let lastBeat = 0;
  const inPlace: InPlace = { closed: 0, activity: 0 };
  // Read while the vendor answers the first pages; those that arrive before the hashes are
  // held, then compared with the next one, so the vendor's pages keep flowing meanwhile.
  const hashes = currentHashes(target.writer, provider, options.hashChunk ?? HASH_CHUNK);
  let loaded = false;
  hashes.then(
    () => (loaded = true),
    () => (loaded = true),
  );
  let held: User[] = [];
  let reading: Reading | undefined;
  // Numbered pages: where a user may have been skipped, checked once the read is done.
  const gaps = adapter.confirmRemoved ? new PageGaps() : null;
  // The vendor's latency and the database's work overlap instead of adding up.
  let writing: Promise<void> = Promise.resolve();
  // At most once a second: the heartbeat and progress every instance sees, a cancel from any, and
  // the lease (another instance took the sync over after a stall here: stop reading at once).
  const beat = async (rows: number) => {
    if (Date.now() - lastBeat < HEARTBEAT_MS) return;
    lastBeat = Date.now();
    const [state] = await db
      .update(snapshots)
      .set({ rows, total: vendorTotal, heartbeatAt: DATABASE_NOW })
      .where(and(eq(snapshots.id, snapshotId), eq(snapshots.state, "running")))
      .returning({ cancel: snapshots.cancelRequested });
    if (!state) throw new LeaseLost();
    if (state.cancel) throw new SyncCancelled();
  };
  const write = async (page: PageWrite, rows: number) => {
    const done = await writePage(target, provider, snapshotId, page);
    inPlace.closed += done.closed;
    inPlace.activity += done.activity;
    options.onProgress?.({ rows, total: vendorTotal });
    await beat(rows);
  };
  try {
    for await (const batch of adapter.exportUsers({
      filters: { groups: true },
      concurrency: options.concurrency,
      signal: options.signal,
      onTotal: (total) => {
        vendorTotal = total;
      },
      onPage: (page) => pages.push(page),
    })) {
      gaps?.page(batch);
      if (!reading && !loaded) {
        await writing;
        if (options.signal?.aborted) throw new SyncCancelled();
        held.push(...batch);
        // A cancel is seen at the first page even while the hashes are still being read.
        writing = beat(held.length);
        writing.catch(() => {});
        continue;
      }
      reading ??= new Reading(snapshotId, await hashes);
      const users = held.length > 0 ? [...held, ...batch] : batch;
      held = [];
      // Compared and serialized while the previous page's statement runs: on a PostgreSQL server
      // this thread's share of a page and the database's overlap instead of adding up.
      const page = reading.take(users);
      await writing;
      if (options.signal?.aborted) throw new SyncCancelled();
      writing = write(page, reading.rows);
      // Handled here so a failure while the adapter reads is not an unhandled rejection; the
      // next `await writing` still throws it.
      writing.catch(() => {});
    }
    await writing;
    reading ??= new Reading(snapshotId, await hashes);
    if (held.length > 0) await write(reading.take(held), reading.rows);
  } finally {
    // A page still being written would land after the cleanup (or the rollback).
    await writing.catch(() => {});
  }
  if (options.signal?.aborted) throw new SyncCancelled();

  const proof = buildProof(provider, pages, vendorTotal, reading);
  if (!proof.reconciled) throw new NotReconciled(reconcileMessage(proof), proof);
  const gone = reading.gone();
  // Users who may have been skipped rather than removed: the vendor is asked about them, and the
  // publish commits only once it has answered that none is listed. On a PostgreSQL server the
  // publish runs meanwhile; PGlite's one connection is not held while the vendor answers.
  const suspects = gaps ? await skippedSuspects(target.writer, adapter, gaps, gone) : [];
  if (gaps) {
    proof.skipCheck = {
      pageGaps: gaps.boundaries,
      confirmedRemoved: suspects.length,
      inVendorOrder: gaps.ordered,
    };
  }
  const lookups = new AbortController();
  const confirmed =
    suspects.length > 0 && adapter.confirmRemoved
      ? adapter.confirmRemoved(suspects, {
          concurrency: options.concurrency,
          signal: options.signal
            ? AbortSignal.any([options.signal, lookups.signal])
            : lookups.signal,
        })
      : Promise.resolve();
  // Awaited by the publish; a publish that fails first leaves it to the `finally` below.
  confirmed.catch(() => {});
  const plan: PublishPlan = {
    provider,
    snapshotId,
    proof,
    toClose: target.server ? gone : [...reading.changed, ...gone],
    inPlace: target.server ? { ...inPlace, closing: reading.changed.length } : null,
    activity: reading.activity,
    chunk: options.publishChunk ?? PUBLISH_CHUNK,
    confirmed,
  };
  try {
    if (target.server) {
      await publish(target.writer, plan);
    } else {
      await confirmed;
      await db.transaction((tx) => publish(tx, plan));
    }
  } finally {
    // Nothing of this sync may still be asking the vendor once it has ended.
    lookups.abort();
    await confirmed.catch(() => {});
  }
  return {
    written: reading.staged + reading.changed.length + gone.length,
    population: proof.rowsWritten,
  };
}

/**
 * Of the current snapshot's users that a read of numbered pages did not see,
 * those whose place in vendor order is between two pages read: they may have
 * been skipped by a shifted page (see page-gaps.ts) rather than removed, so
 * the vendor is asked about each (`confirmRemoved`), and a sync that skipped
 * one fails with `list_changed` instead of publishing a snapshot without a
 * user who still has access. A user removed from inside a page needs no
 * call: a few hundred pages have as many gaps, so few of the users removed
 * since the last sync are suspects.
 */
async function skippedSuspects(
  db: Db,
  adapter: UsersReader,
  gaps: PageGaps,
  gone: readonly string[],
): Promise<string[]> {
  if (gone.length === 0 || gaps.boundaries === 0) return [];
  if (!gaps.ordered) {
    console.warn(
      `[roster] sync ${adapter.id}: the vendor's pages were not in created-time order, so users a shifted page skipped cannot be told from users removed`,
    );
    return [];
  }
  const places: OrderKey[] = [];
  for (let from = 0; from < gone.length; from += PUBLISH_CHUNK) {
    const ids = gone.slice(from, from + PUBLISH_CHUNK);
    const rows = await db
      .select({ id: directoryUsers.userId, createdAt: directoryUsers.createdAt })
      .from(directoryUsers)
      .where(currentVersionsOf(adapter.id, ids));
    for (const row of rows) {
      places.push({ id: row.id, createdAt: row.createdAt?.toISOString() ?? null });
    }
  }
  return gaps.between(places, SUSPECTS_PER_GAP).map((place) => place.id);
}

function buildProof(
  provider: ProviderId,
  pages: ExportPageInfo[],
  vendorTotal: number | null,
  reading: Reading,
): CompletenessProof {
  const rowsWritten = reading.ids.size;
  const lastPage = pages.at(-1)?.marker ?? null;
  const lastPageReached =
    provider === "telnyx"
      ? lastPage !== null &&
        Number(lastPage.page_number) >= Number(lastPage.total_pages) &&
        // The count the vendor announced on its last page, not only its first.
        Number(lastPage.total_results) === vendorTotal
      : lastPage !== null && lastPage.has_more === false;
  const countsMatch = vendorTotal === null || vendorTotal === reading.rows;
  return {
    ...ENDPOINTS[provider],
    pagesRead: pages.length,
    lastPage,
    vendorTotal,
    rowsWritten,
    duplicates: reading.duplicates,
    reconciled: lastPageReached && countsMatch && reading.duplicates === 0,
  };
}

function reconcileMessage(proof: CompletenessProof): string {
  if (proof.duplicates > 0) {
    const users = proof.duplicates === 1 ? "user" : "users";
    return `The vendor listed ${formatCount(proof.duplicates)} ${users} twice.`;
  }
  if (proof.vendorTotal !== null && proof.vendorTotal !== proof.rowsWritten) {
    return `The vendor reported ${formatCount(proof.vendorTotal)} users but ${formatCount(proof.rowsWritten)} were read (the list changed during the sync?).`;
  }
  return "The vendor's last page was never reached.";
}

interface PublishPlan {
  provider: ProviderId;
  snapshotId: number;
  proof: CompletenessProof;
  /** Current versions to close now: those of changed and vanished users. */
  toClose: readonly string[];
  /**
   * Written in place (PostgreSQL): the versions the read already closed and
   * how many it meant to, and the current versions whose activity it updated.
   * Null: staged (PGlite), so the staged rows are copied in.
   */
  inPlace: (InPlace & { closing: number }) | null;
  /** Users whose activity alone moved: the current versions to update. */
  activity: number;
  /** Users closed or published per statement. */
  chunk: number;
  /** Settles once the vendor has said that no suspect of a skip is listed (rejects if one is). */
  confirmed: Promise<void>;
}

/**
 * Inside the sync's transaction: the current versions of changed and vanished
 * users are closed at this snapshot, the staged rows (new and changed users)
 * become versions starting at it, the users whose activity alone moved have
 * it updated in their current versions, and the snapshot becomes the
 * vendor's current one. Each step goes `chunk` users per statement, with a
 * turn of the event loop between them. Before it commits, every version to
 * close or update must have been found, and the database's count of the
 * vendor's current users must equal the users read; otherwise it rolls back
 * (NotReconciled). A user whose current version was not closed breaks the
 * one-current-version index, and the sync fails rather than serve two. A sync
 * whose lease another instance took over (its heartbeat stopped) publishes
 * nothing, nor does one cancelled after its last heartbeat (it rolls back and
 * is recorded as cancelled).
 */
async function publish(tx: Db, plan: PublishPlan): Promise<void> {
  const { provider, snapshotId, proof, toClose, chunk } = plan;
  const mismatch = (message: string) => new NotReconciled(message, { ...proof, reconciled: false });
  let closed = plan.inPlace?.closed ?? 0;
  for (let from = 0; from < toClose.length; from += chunk) {
    closed += await closeVersions(tx, provider, snapshotId, toClose.slice(from, from + chunk));
    await yieldToEventLoop();
  }
  const expected = toClose.length + (plan.inPlace?.closing ?? 0);
  if (closed !== expected) {
    throw mismatch(
      `${expected} current users were to be closed but ${closed} were found: the directory changed during the sync.`,
    );
  }
  const updated = plan.inPlace
    ? plan.inPlace.activity
    : await publishStaged(tx, provider, snapshotId, chunk, plan.activity);
  if (updated !== plan.activity) {
    throw mismatch(
      `${formatCount(plan.activity)} current users' activity was to be updated but ${formatCount(updated)} were found: the directory changed during the sync.`,
    );
  }
  const [population] = await tx
    .select({ rows: count() })
    .from(directoryUsers)
    .where(and(eq(directoryUsers.provider, provider), isNull(directoryUsers.toSnapshot)));
  if (population?.rows !== proof.rowsWritten) {
    throw mismatch(
      `${formatCount(proof.rowsWritten)} users were read but the snapshot would hold ${formatCount(population?.rows ?? 0)}.`,
    );
  }
  await plan.confirmed;
  const published = await tx
    .update(snapshots)
    .set({
      state: "succeeded",
      finishedAt: DATABASE_NOW,
      rows: proof.rowsWritten,
      // Not only with a page's heartbeat: an organization without users sends no page to write.
      total: proof.vendorTotal,
      proof,
      activityUpdated: plan.activity,
      heartbeatAt: DATABASE_NOW,
    })
    .where(and(eq(snapshots.id, snapshotId), eq(snapshots.state, "running")))
    .returning({ id: snapshots.id, cancel: snapshots.cancelRequested });
  if (published.length === 0) throw new LeaseLost();
  // A cancel that came after the last page's heartbeat was answered `cancelled: true`: roll back.
  if (published[0]?.cancel) throw new SyncCancelled();
  if (!plan.inPlace) {
    await tx.delete(directoryStaging).where(eq(directoryStaging.snapshotId, snapshotId));
  }
}

/**
 * The staged rows, `chunk` at a time in user id order: first the activity of
 * the users whose activity alone moved (`activity` of them), updated in their
 * current versions, then the new and changed users as the versions starting
 * at this snapshot. Returns the current versions whose activity it updated.
 *
 * The updates go first and only when there are any: the update joins the
 * staged rows to `directory_users`, and once this snapshot's new versions are
 * in, the planner's statistics no longer know them. A first sync of 20,000
 * OpenAI users beside 100,000 Telnyx ones spent 31 s in an update of no rows,
 * scanning the staged chunk once for each new version.
 */
async function publishStaged(
  tx: Db,
  provider: ProviderId,
  snapshotId: number,
  chunk: number,
  activity: number,
): Promise<number> {
  const staged = eq(directoryStaging.snapshotId, snapshotId);
  let updated = 0;
  if (activity > 0) {
    await inIdChunks(
      tx,
      and(staged, eq(directoryStaging.activityOnly, true)),
      chunk,
      async (round) => {
        updated += await updateActivity(
          tx,
          provider,
          snapshotId,
          sql`(${tx
            .select({
              user_id: directoryStaging.userId,
              last_active_at: directoryStaging.lastActiveAt,
              vendor: directoryStaging.vendor,
              hash: directoryStaging.hash,
              activity_hash: directoryStaging.activityHash,
            })
            .from(directoryStaging)
            .where(round)})`,
        );
      },
    );
  }
  await inIdChunks(tx, and(staged, eq(directoryStaging.activityOnly, false)), chunk, (round) =>
    tx.insert(directoryUsers).select(
      tx
        .select({
          provider: sql<string>`${provider}`.as("provider"),
          userId: directoryStaging.userId,
          fromSnapshot: sql<number>`${snapshotId}::bigint`.as("from_snapshot"),
          toSnapshot: sql<number | null>`null::bigint`.as("to_snapshot"),
          email: directoryStaging.email,
          emailKey: directoryStaging.emailKey,
          name: directoryStaging.name,
          status: directoryStaging.status,
          role: directoryStaging.role,
          createdAt: directoryStaging.createdAt,
          lastActiveAt: directoryStaging.lastActiveAt,
          groups: directoryStaging.groups,
          vendor: directoryStaging.vendor,
          hash: directoryStaging.hash,
          activityHash: directoryStaging.activityHash,
          activitySnapshot: sql<number | null>`null::bigint`.as("activity_snapshot"),
        })
        .from(directoryStaging)
        .where(round),
    ),
  );
  return updated;
}

/**
 * Runs `each` over the staged rows `where` selects, `chunk` at a time in user
 * id order, with a turn of the event loop between: each round takes the ids
 * after the last one done, up to the chunk's last id (none: the rest).
 */
async function inIdChunks(
  tx: Db,
  where: SQL | undefined,
  chunk: number,
  each: (round: SQL | undefined) => Promise<unknown>,
): Promise<void> {
  for (let after: string | null = null; ;) {
    const following: SQL | undefined =
      after === null ? where : and(where, gt(directoryStaging.userId, after));
    const [edge]: { id: string }[] = await tx
      .select({ id: directoryStaging.userId })
      .from(directoryStaging)
      .where(following)
      .orderBy(directoryStaging.userId)
      .offset(chunk - 1)
      .limit(1);
    await each(edge ? and(following, lte(directoryStaging.userId, edge.id)) : following);
    await yieldToEventLoop();
    if (!edge) return;
    after = edge.id;
  }
}

async function fail(
  db: Db,
  snapshotId: number,
  code: string,
  message: string,
  proof: CompletenessProof | null,
  state: "failed" | "cancelled" = "failed",
): Promise<void> {
  await whileDatabaseAway(async () => {
    await db.delete(directoryStaging).where(eq(directoryStaging.snapshotId, snapshotId));
    // Only a running row: one another instance marked `sync_abandoned` (it took the sync over
    // while this one stalled) keeps that record.
    await db
      .update(snapshots)
      .set({ state, finishedAt: DATABASE_NOW, errorCode: code, errorMessage: message, proof })
      .where(and(eq(snapshots.id, snapshotId), eq(snapshots.state, "running")));
  });
}

/**
 * Runs `write` again while the database is out of reach, for up to
 * RECORD_END_MS: a sync that failed because the database restarted records its
 * end once it is back. Any other error is thrown at once.
 */
async function whileDatabaseAway(write: () => Promise<void>): Promise<void> {
  const giveUpAt = Date.now() + RECORD_END_MS;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (databaseUnavailableReason(error) === null || Date.now() >= giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, RECORD_END_RETRY_MS));
    }
  }
}

/** Asks the running sync of `provider` to stop, from any instance: its snapshot id, or null when none runs. */
export async function requestCancel(db: Db, provider: ProviderId): Promise<number | null> {
  const [row] = await db
    .update(snapshots)
    .set({ cancelRequested: true })
    .where(and(eq(snapshots.provider, provider), eq(snapshots.state, "running")))
    .returning({ id: snapshots.id });
  return row?.id ?? null;
}
