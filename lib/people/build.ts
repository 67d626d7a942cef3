import "server-only";

import { desc, eq, sql, type SQL } from "drizzle-orm";

import { ApiError } from "@/lib/api/errors";
import { isPostgresServer, type Db } from "@/lib/db/client";
import { yieldToEventLoop } from "@/lib/db/event-loop";
import { vacuumEmbedded } from "@/lib/db/reclaim";
import { peopleBuild, rosterUploads, snapshots } from "@/lib/db/schema";
import { selectRows } from "@/lib/db/select-rows";
import { serverEnv } from "@/lib/server-env";
import { PROVIDER_IDS } from "@/lib/users/contract";
import type { ProviderId } from "@/lib/users/schema";

import type { AsOf, PersonFlag } from "./schema";
import { PERSON_FLAGS } from "./contract";

/** What flags depend on besides the data: settings and the day. */
export interface PeopleConfig {
  dormantDays: number;
  companyDomains: readonly string[];
  /** The UTC day (`YYYY-MM-DD`) "dormant" is computed for. */
  day: string;
}

export function peopleConfig(now: Date = new Date()): PeopleConfig {
  const env = serverEnv();
  return {
    dormantDays: env.DORMANT_DAYS,
    companyDomains: env.COMPANY_DOMAINS ?? [],
    day: now.toISOString().slice(0, 10),
  };
}

/** Accounts unused since before this instant are dormant: midnight UTC of the day, minus the days. */
export function dormantCutoff(config: PeopleConfig): Date {
  return new Date(Date.parse(`${config.day}T00:00:00Z`) - config.dormantDays * 86_400_000);
}

interface Inputs {
  snapshots: Record<ProviderId, { id: number; finishedAt: Date | null } | null>;
  rosterUpload: number | null;
}

export interface PeopleState {
  generation: number;
  total: number;
  counts: Record<PersonFlag, number>;
  asOf: AsOf;
  /** What this build was made from: each vendor's snapshot and the HR roster upload (null: none). */
  inputs: PeopleInputs;
  config: PeopleConfig;
  /**
   * Set when this call built: `full` (every person) or `changes` (only the
   * people whose accounts or dormancy changed since the last build).
   */
  built?: { mode: "full" } | { mode: "changes"; people: number };
}

export interface PeopleInputs {
  telnyxSnapshotId: number | null;
  openaiSnapshotId: number | null;
  rosterUploadId: number | null;
}

async function readInputs(db: Db): Promise<Inputs> {
  const latest = await db
    .selectDistinctOn([snapshots.provider], {
      provider: snapshots.provider,
      id: snapshots.id,
      finishedAt: snapshots.finishedAt,
    })
    .from(snapshots)
    .where(eq(snapshots.state, "succeeded"))
    .orderBy(snapshots.provider, desc(snapshots.id));
  const [roster] = await db
    .select({ id: rosterUploads.id })
    .from(rosterUploads)
    .where(eq(rosterUploads.state, "active"));
  const find = (provider: ProviderId) => {
    const row = latest.find((r) => r.provider === provider);
    return row ? { id: row.id, finishedAt: row.finishedAt } : null;
  };
  return {
    snapshots: { telnyx: find("telnyx"), openai: find("openai") },
    rosterUpload: roster?.id ?? null,
  };
}

type BuildRow = typeof peopleBuild.$inferSelect;

function isFresh(build: BuildRow | undefined, inputs: Inputs, config: PeopleConfig): boolean {
  return (
    build !== undefined &&
    build.telnyxSnapshot === (inputs.snapshots.telnyx?.id ?? null) &&
    build.openaiSnapshot === (inputs.snapshots.openai?.id ?? null) &&
    build.rosterUpload === inputs.rosterUpload &&
    build.dormantDays === config.dormantDays &&
    build.companyDomains === config.companyDomains.join(",") &&
    build.day === config.day
  );
}

function sameInputs(a: Inputs, b: Inputs): boolean {
  return (
    a.snapshots.telnyx?.id === b.snapshots.telnyx?.id &&
    a.snapshots.openai?.id === b.snapshots.openai?.id &&
    a.rosterUpload === b.rosterUpload
  );
}

function toState(build: BuildRow, inputs: Inputs, config: PeopleConfig): PeopleState {
  const counts = Object.fromEntries(
    PERSON_FLAGS.map((flag) => [flag, build.counts[flag] ?? 0]),
  ) as Record<PersonFlag, number>;
  return {
    generation: build.generation,
    total: build.total,
    counts,
    asOf: {
      telnyx: inputs.snapshots.telnyx?.finishedAt?.toISOString() ?? null,
      openai: inputs.snapshots.openai?.finishedAt?.toISOString() ?? null,
    },
    inputs: {
      telnyxSnapshotId: build.telnyxSnapshot,
      openaiSnapshotId: build.openaiSnapshot,
      rosterUploadId: build.rosterUpload,
    },
    config,
  };
}

// Any fixed number: the advisory lock that keeps one rebuild at a time across instances.
const REBUILD_LOCK = 0x70656f706c65;

/** People built per statement of a rebuild. */
const BUILD_CHUNK = 10_000;

/** Above one changed person in this many, the whole table is built again instead. */
const MAX_CHANGED_SHARE = 5;

/**
 * PGlite vacuums `people` once the rows builds deleted since the last vacuum
 * exceed autovacuum's default threshold: 50 plus a fifth of the people
 * (`autovacuum_vacuum_threshold`, `autovacuum_vacuum_scale_factor`).
 */
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;

/**
 * A `+tag` in an address, for the base address near matches are found by:
 * `ana+test@x` → `ana@x`. Only after at least one character, so that
 * `+alerts@x` and `+billing@x` are not both taken for `@x`. Replace with `$1$2`
 * (JavaScript) or `\1\2` (PostgreSQL); the pattern means the same in both.
 */
export const PLUS_TAG = "([^@+])\\+[^@]*(@[^@]*)$";

/** A directory row's person: its email key, or the account itself when it has no email. */
const PERSON_KEY = sql`coalesce(nullif(u.email_key, ''), 'account:' || u.provider || ':' || u.user_id)`;

/** Every `chunk`-th person key in byte order: where the rebuild's statements split. */
function chunkEdges(chunk: number) {
  return sql`
    select key from (
      select key, row_number() over (order by key collate "C") as n
      from (select distinct ${PERSON_KEY} as key from directory_users u where u.to_snapshot is null) k
    ) numbered
    where n % ${chunk}::bigint = 0
    order by key collate "C"`;
}

/** A sync or a roster change committed while a rebuild read: the rebuild is rolled back and redone. */
class InputsMoved extends Error {}

/** Rebuilds tried before giving up while syncs keep landing. */
const BUILD_ATTEMPTS = 3;

/**
 * Rebuilds the people table from the current directory rows and the roster in
 * force, in one transaction, by INSERT ... SELECT over ranges of person keys
 * (whole people each: a key's accounts are grouped in one statement). Readers
 * keep seeing the previous build until it commits. Under an advisory lock, and skipped when
 * another instance built the same inputs meanwhile (unless `force`).
 *
 * On a PostgreSQL server each statement reads what is committed when it
 * starts (READ COMMITTED), so a sync or roster upload that commits between two
 * of them would give one build two inputs. The inputs are read again before
 * the build is recorded: when they moved, the build is rolled back and redone.
 *
 * `db` is the database, not a transaction of it: PGlite's way (a truncate, a
 * vacuum after the build) is chosen by asking it.
 */
export async function rebuildPeople(
  db: Db,
  options: { config?: PeopleConfig; force?: boolean; chunk?: number } = {},
): Promise<PeopleState> {
  const embedded = !isPostgresServer(db);
  for (let attempt = 1; ; attempt++) {
    try {
      const state = await buildOnce(db, { ...options, embedded });
      if (embedded && state.built) await vacuumIfDue(db);
      return state;
    } catch (error) {
      if (!(error instanceof InputsMoved)) throw error;
      if (attempt === BUILD_ATTEMPTS) {
        throw new ApiError(
          "list_changed",
          "the directory changed during each of the last People builds; try again",
        );
      }
    }
  }
}

async function buildOnce(
  db: Db,
  options: { config?: PeopleConfig; force?: boolean; chunk?: number; embedded: boolean },
): Promise<PeopleState> {
  const config = options.config ?? peopleConfig();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REBUILD_LOCK})`);
    const inputs = await readInputs(tx);
    const [previous] = await tx.select().from(peopleBuild).where(eq(peopleBuild.id, 1));
    if (previous && !options.force && isFresh(previous, inputs, config)) {
      return toState(previous, inputs, config);
    }
    const chunk = options.chunk ?? BUILD_CHUNK;
    const changed =
      previous && !options.force ? await changedKeys(tx, previous, inputs, config) : null;
    const tally =
      previous && changed
        ? await buildChanged(tx, previous, changed, inputs.rosterUpload, config, chunk)
        : await buildAll(tx, inputs.rosterUpload, config, chunk, options.embedded);
    // Snapshot ids only grow and a roster upload or removal makes a new id, so equal
    // inputs now mean nothing the statements above read was replaced meanwhile.
    if (!sameInputs(await readInputs(tx), inputs)) throw new InputsMoved();
    const { total, counts } = tally;
    // PGlite's own count; a PostgreSQL server's autovacuum keeps its own.
    const deadRows = options.embedded && changed ? (previous?.deadRows ?? 0) + tally.deleted : 0;
    const values = {
      generation: (previous?.generation ?? 0) + 1,
      builtAt: new Date(),
      telnyxSnapshot: inputs.snapshots.telnyx?.id ?? null,
      openaiSnapshot: inputs.snapshots.openai?.id ?? null,
      rosterUpload: inputs.rosterUpload,
      dormantDays: config.dormantDays,
      companyDomains: config.companyDomains.join(","),
      day: config.day,
      total,
      counts,
      deadRows,
    };
    const [build] = await tx
      .insert(peopleBuild)
      .values({ id: 1, ...values })
      .onConflictDoUpdate({ target: peopleBuild.id, set: values })
      .returning();
    if (!build) throw new Error("people build not recorded");
    const built = changed
      ? ({ mode: "changes", people: changed.length } as const)
      : ({ mode: "full" } as const);
    return { ...toState(build, inputs, config), built };
  });
}

interface Tally {
  total: number;
  counts: Record<string, number>;
  /**
   * Rows this build deleted that stay as dead rows until a vacuum: none after
   * a full build (PGlite truncates; a server's autovacuum sees to its deletes).
   */
  deleted: number;
}

/**
 * Each flag's people and the people, counted over the rows `rows` (a select
 * of people, or a delete or insert `returning flags`) gives.
 */
async function countPeople(
  db: Db,
  rows: SQL = sql`select flags from people`,
): Promise<Omit<Tally, "deleted">> {
  const counted = await selectRows<{ flag: string | null; n: number }>(
    db,
    sql`with counted as (${rows})
        select null::text as flag, count(*)::int as n from counted
        union all
        select f, count(*)::int from counted, unnest(flags) as f group by f`,
  );
  const tally: Omit<Tally, "deleted"> = { total: 0, counts: {} };
  for (const row of counted) {
    if (row.flag === null) tally.total = row.n;
    else tally.counts[row.flag] = row.n;
  }
  return tally;
}

/**
 * Every person, in key order, `chunk` per statement, with a turn of the event
 * loop between. PGlite empties the table by a truncate, which leaves no dead
 * rows behind (it runs no autovacuum, and its one connection has no reader to
 * hold up); a PostgreSQL server deletes, so its readers keep the last build
 * until this one commits.
 */
async function buildAll(
  tx: Db,
  rosterUpload: number | null,
  config: PeopleConfig,
  chunk: number,
  embedded: boolean,
): Promise<Tally> {
  await tx.execute(embedded ? sql`truncate people` : sql`delete from people`);
  const edges = await selectRows<{ key: string }>(tx, chunkEdges(chunk));
  let after: string | null = null;
  for (const upTo of [...edges.map((edge) => edge.key), null]) {
    await tx.execute(insertPeople(rosterUpload, config, { after, upTo }));
    await yieldToEventLoop();
    after = upTo;
  }
  return { ...(await countPeople(tx)), deleted: 0 };
}

/**
 * Only the people with these keys, built again from their accounts now (a key
 * without accounts any more is gone); the counts are the last build's, less
 * what these people counted before, plus what they count now.
 */
async function buildChanged(
  tx: Db,
  previous: BuildRow,
  keys: readonly string[],
  rosterUpload: number | null,
  config: PeopleConfig,
  chunk: number,
): Promise<Tally> {
  const counts: Record<string, number> = { ...previous.counts };
  let total = previous.total;
  let deleted = 0;
  for (let i = 0; i < keys.length; i += chunk) {
    const part = sql`(select jsonb_array_elements_text(${JSON.stringify(keys.slice(i, i + chunk))}::jsonb))`;
    const before = await countPeople(
      tx,
      sql`delete from people where key in ${part} returning flags`,
    );
    const after = await countPeople(
      tx,
      sql`${insertPeople(rosterUpload, config, { after: null, upTo: null, keys: part })} returning flags`,
    );
    total += after.total - before.total;
    deleted += before.total;
    for (const flag of new Set([...Object.keys(before.counts), ...Object.keys(after.counts)])) {
      counts[flag] = (counts[flag] ?? 0) - (before.counts[flag] ?? 0) + (after.counts[flag] ?? 0);
    }
    await yieldToEventLoop();
  }
  // As a full build counts them: a flag nobody has is absent.
  for (const flag of Object.keys(counts)) if (counts[flag] === 0) delete counts[flag];
  return { total, counts, deleted };
}

/** Whether any OpenAI user is SCIM-managed (`not_scim_managed` is only set then), at a snapshot or now. */
function anyScim(at: number | null) {
  const valid =
    at === null
      ? sql`to_snapshot is null`
      : sql`from_snapshot <= ${at}::bigint and (to_snapshot is null or to_snapshot > ${at}::bigint)`;
  return sql`select coalesce(bool_or(vendor->'is_scim_managed' = 'true'::jsonb), false) as scim
    from directory_users where provider = 'openai' and ${valid}`;
}

/**
 * The people whose row may differ from the last build's, or null when the
 * whole table must be built again (no build yet, another roster or
 * `COMPANY_DOMAINS`, a vendor's first snapshot, OpenAI's SCIM-managed users
 * appearing or all gone, or more than a fifth of the people changed).
 *
 * A person's row depends only on their own accounts, the roster and the
 * settings: so the keys of every account version opened or closed since the
 * build's snapshot (an address change names the old and the new person), or
 * whose activity a sync updated in place since it, and
 * of the accounts whose dormancy a new day or `DORMANT_DAYS` turns, are all
 * that must be built again.
 */
async function changedKeys(
  tx: Db,
  previous: BuildRow,
  inputs: Inputs,
  config: PeopleConfig,
): Promise<string[] | null> {
  if (previous.rosterUpload !== inputs.rosterUpload) return null;
  if (previous.companyDomains !== config.companyDomains.join(",")) return null;
  const sources: SQL[] = [];
  for (const provider of PROVIDER_IDS) {
    const built = provider === "telnyx" ? previous.telnyxSnapshot : previous.openaiSnapshot;
    const now = inputs.snapshots[provider]?.id ?? null;
    if (built === now) continue;
    if (built === null || now === null) return null;
    if (provider === "openai") {
      const [then] = await selectRows<{ scim: boolean }>(tx, anyScim(built));
      const [current] = await selectRows<{ scim: boolean }>(tx, anyScim(null));
      if (then?.scim !== current?.scim) return null;
    }
    // Closed since the build (the directory_users_to index), opened since it, and current ones
    // whose activity a sync updated in place since it (the directory_users_activity index).
    sources.push(
      sql`select ${PERSON_KEY} as key from directory_users u
          where u.provider = ${provider} and u.to_snapshot > ${built}::bigint`,
      sql`select ${PERSON_KEY} as key from directory_users u
          where u.provider = ${provider} and u.to_snapshot is null and u.from_snapshot > ${built}::bigint`,
      sql`select ${PERSON_KEY} as key from directory_users u
          where u.provider = ${provider} and u.activity_snapshot > ${built}::bigint and u.to_snapshot is null`,
    );
  }
  const before = dormantCutoff({ ...config, dormantDays: previous.dormantDays, day: previous.day });
  const after = dormantCutoff(config);
  if (before.getTime() !== after.getTime()) {
    // An account is dormant before an instant it was last active at or after.
    const [from, to] = before < after ? [before, after] : [after, before];
    sources.push(
      sql`select ${PERSON_KEY} as key from directory_users u where u.to_snapshot is null
          and u.last_active_at >= ${from.toISOString()}::timestamptz
          and u.last_active_at < ${to.toISOString()}::timestamptz`,
    );
  }
  if (sources.length === 0) return [];
  const rows = await selectRows<{ key: string }>(
    tx,
    sql`select key from (${sql.join(sources, sql` union `)}) k order by key collate "C"`,
  );
  return rows.length * MAX_CHANGED_SHARE <= previous.total ? rows.map((row) => row.key) : null;
}

/**
 * Gives the space of the people rows builds deleted back to PGlite, which runs
 * no autovacuum: without it the table grew by every person a build replaced.
 * Only past autovacuum's threshold, not after every build: a vacuum reads the
 * whole table on the server's own thread. A refusal costs disk, never a build:
 * it is logged, and the next build tries again.
 */
async function vacuumIfDue(db: Db): Promise<void> {
  const refused = "people: deleted rows' space not reclaimed";
  try {
    const [build] = await db
      .select({ total: peopleBuild.total, deadRows: peopleBuild.deadRows })
      .from(peopleBuild)
      .where(eq(peopleBuild.id, 1));
    if (!build || build.deadRows <= VACUUM_BASE + VACUUM_SCALE * build.total) return;
    await yieldToEventLoop();
    if (!(await vacuumEmbedded(db, "people", refused))) return;
    await db
      .update(peopleBuild)
      .set({ deadRows: sql`${peopleBuild.deadRows} - ${build.deadRows}` })
      .where(eq(peopleBuild.id, 1));
  } catch (error) {
    console.warn(`[roster] ${refused} (${error instanceof Error ? error.name : "error"})`);
  }
}

/**
 * The people table's state, rebuilt first when any input changed since it was
 * built: a newer snapshot, another roster, the settings, or a new day.
 */
export async function ensurePeople(
  db: Db,
  config: PeopleConfig = peopleConfig(),
): Promise<PeopleState> {
  const inputs = await readInputs(db);
  const [build] = await db.select().from(peopleBuild).where(eq(peopleBuild.id, 1));
  if (build && isFresh(build, inputs, config)) return toState(build, inputs, config);
  return rebuildPeople(db, { config });
}

/** The generation of the build readers see now (0 before the first), without rebuilding. */
export async function currentGeneration(db: Db): Promise<number> {
  const [build] = await db
    .select({ generation: peopleBuild.generation })
    .from(peopleBuild)
    .where(eq(peopleBuild.id, 1));
  return build?.generation ?? 0;
}

/**
 * A `timestamptz` as JavaScript's `toISOString` writes it, as the rest of
 * Roster serves times: past year 9999 that is `+010000-…`, where `to_char`
 * alone writes `10000-…` (which `Date` cannot read).
 */
function isoText(column: SQL): SQL {
  const utc = sql`(${column} at time zone 'UTC')`;
  return sql`case when extract(year from ${utc}) > 9999
    then '+' || lpad(to_char(${utc}, 'YYYY'), 6, '0') || to_char(${utc}, '-MM-DD"T"HH24:MI:SS.MS"Z"')
    else to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end`;
}

/**
 * The directory rows to build people from: every row, or (`keys`) only those
 * of the people with these keys, found through the current rows' indexes (the
 * email key's, and the vendor and user id's for an account without an email,
 * whose key names both), so that building a few changed people does not
 * compute the key of every account.
 */
function directoryRows(keys: SQL | undefined): SQL {
  if (!keys) return sql`directory_users`;
  return sql`(
    select * from directory_users
    where to_snapshot is null and email_key = any(array${keys})
    union all
    select u.* from (
      select split_part(k, ':', 2) as provider,
        substr(k, length('account:' || split_part(k, ':', 2) || ':') + 1) as user_id
      from ${keys} as keys(k) where k like 'account:%'
    ) account
    join directory_users u on u.provider = account.provider and u.user_id = account.user_id
    where u.to_snapshot is null and nullif(u.email_key, '') is null
  )`;
}

/**
 * One set-based statement: accounts grouped by person key, joined to the
 * roster, flags derived; for the keys after `after` up to `upTo` (null: no
 * bound), compared bytewise.
 */
function insertPeople(
  rosterUpload: number | null,
  config: PeopleConfig,
  range: { after: string | null; upTo: string | null; keys?: SQL },
) {
  const cutoff = dormantCutoff(config).toISOString();
  const domains = config.companyDomains.join(",");
  return sql`
    insert into people (key, email, base_key, flags, vendors, accounts, roster)
    with org as (
      select coalesce(bool_or(vendor->'is_scim_managed' = 'true'::jsonb), false) as any_scim
      from directory_users where provider = 'openai' and to_snapshot is null
    ),
    acct as (
      select
        ${PERSON_KEY} as key,
        nullif(u.email_key, '') is not null as has_email,
        u.provider, u.user_id, u.email, u.status, u.last_active_at,
        u.status = 'enabled' as enabled,
        u.status = 'enabled' and (u.last_active_at is null or u.last_active_at < ${cutoff}::timestamptz) as dormant,
        u.role = 'owner' as privileged,
        u.provider = 'telnyx' and u.vendor->'organization_user_bypasses_sso' = 'true'::jsonb as sso_bypass,
        u.provider = 'openai' and u.vendor->'is_service_account' = 'true'::jsonb as service_account,
        u.provider = 'openai' and org.any_scim
          and u.vendor->'is_service_account' is distinct from 'true'::jsonb
          and u.vendor->'is_scim_managed' is distinct from 'true'::jsonb as not_scim_managed,
        jsonb_build_object(
          'id', u.user_id, 'provider', u.provider, 'email', u.email, 'name', u.name,
          'status', u.status, 'role', u.role,
          'createdAt', ${isoText(sql`u.created_at`)},
          'lastActiveAt', ${isoText(sql`u.last_active_at`)},
          'groups', u.groups, 'vendor', u.vendor) as doc
      from ${directoryRows(range.keys)} u cross join org
      where u.to_snapshot is null
        and (${range.after}::text is null or ${PERSON_KEY} collate "C" > ${range.after}::text)
        and (${range.upTo}::text is null or ${PERSON_KEY} collate "C" <= ${range.upTo}::text)
        and ${range.keys ? sql`${PERSON_KEY} in ${range.keys}` : sql`true`}
    ),
    person as (
      select key,
        bool_or(has_email) as has_email,
        min(email) as email,
        array_agg(distinct provider order by provider) as vendors,
        jsonb_build_object(
          'telnyx', coalesce(jsonb_agg(doc order by user_id) filter (where provider = 'telnyx'), '[]'::jsonb),
          'openai', coalesce(jsonb_agg(doc order by user_id) filter (where provider = 'openai'), '[]'::jsonb)
        ) as accounts,
        bool_or(enabled) as any_enabled,
        -- A vendor is on when any of the person's accounts there is enabled, off when none is.
        bool_or(enabled) filter (where provider = 'telnyx') as telnyx_enabled,
        bool_and(not enabled) filter (where provider = 'telnyx') as telnyx_off,
        bool_or(enabled) filter (where provider = 'openai') as openai_enabled,
        bool_and(not enabled) filter (where provider = 'openai') as openai_off,
        max(last_active_at) as last_active,
        bool_or(dormant) as dormant, bool_or(privileged) as privileged,
        bool_or(sso_bypass) as sso_bypass, bool_or(service_account) as service_account,
        bool_or(not_scim_managed) as not_scim_managed
      from acct group by key
    )
    select p.key, p.email,
      case when p.has_email then regexp_replace(p.key, ${PLUS_TAG}, '\\1\\2') end,
      array_remove(array[
        case when r.status = 'left' and p.any_enabled then 'leaver_with_access' end,
        case when r.end_date is not null
          and p.last_active >= ((r.end_date + 1)::timestamp at time zone 'UTC') then 'used_after_leaving' end,
        case when ${rosterUpload}::bigint is not null and p.has_email and r.email_key is null
          then 'not_in_roster' end,
        case when (p.telnyx_enabled and p.openai_off) or (p.openai_enabled and p.telnyx_off)
          then 'inconsistent_status' end,
        case when p.privileged then 'privileged' end,
        case when p.sso_bypass then 'sso_bypass' end,
        case when p.dormant then 'dormant' end,
        case when ${domains} <> '' and p.has_email
          and coalesce(substring(p.key from '@([^@]*)$'), '') <> all(string_to_array(${domains}, ','))
          then 'external' end,
        case when p.not_scim_managed then 'not_scim_managed' end,
        case when p.service_account then 'service_account' end
      ]::text[], null),
      p.vendors,
      p.accounts,
      case when r.email_key is not null then jsonb_build_object(
        'email', r.email, 'name', r.name, 'department', r.department, 'manager', r.manager,
        'status', r.status, 'endDate', to_char(r.end_date, 'YYYY-MM-DD')) end
    from person p
    left join roster_rows r on r.upload_id = ${rosterUpload}::bigint and p.has_email and r.email_key = p.key`;
}
