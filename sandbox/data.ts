/**
 * Deterministic, vendor-shaped users for the sandbox. The same seed and counts
 * always give the same records in the same (vendor) order. The first records
 * after the owner are the hard cases, so even a sandbox of ~40 users per vendor
 * holds every one of them.
 */
import {
  COMPANY_DOMAIN,
  DEVELOPER_PERSONAS,
  FIRST_NAMES,
  INTERNATIONAL_NAMES,
  LAST_NAMES,
  OPENAI_PROJECT_NAMES,
  OTHER_DOMAINS,
  SERVICE_ACCOUNT_NAMES,
  TECHNICAL_LEVELS,
  TELNYX_GROUP_NAMES,
} from "./data-samples";
import { createRng, type Rng } from "./random";

export const DEFAULTS = {
  seed: 42,
  telnyxUsers: 2500,
  openaiUsers: 1500,
  telnyxKey: "KEY_sandbox_telnyx",
  openaiKey: "sk-admin-sandbox-openai",
  adminToken: "sandbox-admin",
} as const;

/** Upper bound on users per vendor, to keep a typo from eating the machine's memory. */
export const MAX_USERS = 1_000_000;

export type TelnyxUserStatus = "enabled" | "disabled" | "blocked";
export const TELNYX_USER_STATUSES: readonly TelnyxUserStatus[] = ["enabled", "disabled", "blocked"];

export interface TelnyxGroup {
  id: string;
  name: string;
}

/** A Telnyx organization user; `groups` is always present here, the server strips it unless asked. */
export interface TelnyxUser {
  id: string;
  record_type: "organization_owner" | "organization_sub_user";
  email: string;
  user_status: TelnyxUserStatus;
  organization_user_bypasses_sso: boolean;
  created_at: string;
  last_sign_in_at: string | null;
  groups: TelnyxGroup[];
}

export interface OpenAIProjectRef {
  id: string;
  name: string;
  role: string;
}

export interface OpenAINestedUser {
  object: "user";
  id: string;
  email?: string | null;
  name?: string | null;
  picture?: string | null;
  enabled?: boolean | null;
  banned?: boolean | null;
  banned_at?: number | null;
}

/** An OpenAI organization user. Optional keys are really absent on some records. */
export interface OpenAIUser {
  object: "organization.user";
  id: string;
  name?: string | null;
  email?: string | null;
  role?: string | null;
  added_at: number;
  created?: number;
  api_key_last_used_at?: number | null;
  developer_persona?: string | null;
  technical_level?: string | null;
  is_default?: boolean;
  is_scim_managed?: boolean;
  is_service_account?: boolean;
  is_scale_tier_authorized_purchaser?: boolean | null;
  projects?: { object: "list"; data: OpenAIProjectRef[] } | null;
  user?: OpenAINestedUser;
}

export interface SandboxData {
  telnyx: TelnyxUser[];
  openai: OpenAIUser[];
}

export interface GenerateOptions {
  seed: number;
  telnyxUsers: number;
  openaiUsers: number;
}

const DAY_MS = 86_400_000;
const TELNYX_START = Date.parse("2019-03-01T09:00:00.000Z");
const OPENAI_START = Date.parse("2023-02-01T00:00:00.000Z");
/** The sandbox's "now": fixed so that the data does not depend on the day it runs. */
const DATA_END = Date.parse("2025-10-31T23:59:59.999Z");

/** Compares ids the way the sandbox orders them: by UTF-16 code units. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function generateData(opts: GenerateOptions): SandboxData {
  for (const key of ["telnyxUsers", "openaiUsers"] as const) {
    const n = opts[key];
    if (!Number.isInteger(n) || n < 0 || n > MAX_USERS) {
      throw new RangeError(`${key} must be an integer from 0 to ${MAX_USERS}, got ${n}`);
    }
  }
  if (!Number.isInteger(opts.seed))
    throw new RangeError(`seed must be an integer, got ${opts.seed}`);
  // Independent streams: changing one vendor's count leaves the other vendor's users alone.
  return {
    telnyx: generateTelnyx(createRng(opts.seed), opts.telnyxUsers),
    openai: generateOpenAI(createRng(opts.seed ^ 0x5bd1e995), opts.openaiUsers),
  };
}

/** Hands out case-insensitively unique emails, numbering repeats (`jane.doe2@...`). */
class EmailRegistry {
  private readonly taken = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();

  claim(local: string, domain: string): string {
    let email = `${local}@${domain}`;
    const base = email.toLowerCase();
    let suffix = this.nextSuffix.get(base) ?? 2;
    while (this.taken.has(email.toLowerCase())) email = `${local}${suffix++}@${domain}`;
    this.nextSuffix.set(base, suffix);
    this.taken.add(email.toLowerCase());
    return email;
  }

  /** For hand-written hard cases: they are unique by construction. */
  replace(previous: string | null | undefined, next: string): string {
    if (previous) this.taken.delete(previous.toLowerCase());
    if (this.taken.has(next.toLowerCase())) throw new Error(`duplicate sandbox email ${next}`);
    this.taken.add(next.toLowerCase());
    return next;
  }
}

function asciiLocal(rng: Rng, first: string, last: string): string {
  const f = first.toLowerCase();
  const l = last.toLowerCase();
  const local = rng.pick([`${f}.${l}`, `${f}.${l}`, `${f[0]}${l}`, `${f}_${l}`, `${f}${l[0]}`]);
  // Some people's addresses keep capitals; the vendors keep them as entered.
  return rng.chance(0.05) ? `${first}.${last}` : local;
}

function pickDistinct<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = rng.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, n);
}

// ---------------------------------------------------------------- Telnyx

type TelnyxHardCase = (
  user: TelnyxUser,
  ctx: { previous: TelnyxUser | undefined; groups: TelnyxGroup[] },
) => Partial<TelnyxUser>;

const TELNYX_HARD_CASES: TelnyxHardCase[] = [
  () => ({ email: '"doe, jane"@contoso.com' }),
  () => ({ email: '"john \\"jj\\" smith"@globex.net' }),
  () => ({ email: '"night\nshift"@contoso.com', last_sign_in_at: null }),
  () => ({ email: "yamada.taro@例え.jp" }),
  () => ({ email: "сергей@пример.рф", user_status: "blocked" }),
  () => ({ email: "party🎉@globex.net" }),
  () => ({ email: "=1+1@contoso.com" }),
  () => ({ email: "+billing@contoso.com", user_status: "disabled" }),
  () => ({ email: "-ops@contoso.com", groups: [] }),
  () => ({ email: "Mixed.Case@Contoso.COM" }),
  () => ({ email: "josé.garcía@northwind.io", organization_user_bypasses_sso: true }),
  (_u, { groups }) => ({ groups: [...groups] }),
  () => ({ groups: [], last_sign_in_at: null, user_status: "disabled" }),
  () => ({ user_status: "blocked", last_sign_in_at: null }),
  (_u, { groups }) => ({
    groups: groups.filter((g) => /[,"\n]|^[=+\-@]|[^\x20-\x7e]/.test(g.name)),
  }),
  // Same created_at as its neighbour: the order falls back to the id.
  (_u, { previous }) => (previous ? { created_at: previous.created_at } : {}),
];

function generateTelnyx(rng: Rng, count: number): TelnyxUser[] {
  const groups: TelnyxGroup[] = TELNYX_GROUP_NAMES.map((name) => ({ id: rng.uuid(), name }));
  const emails = new EmailRegistry();
  const users: TelnyxUser[] = [];
  for (let i = 0; i < count; i++) {
    const user = randomTelnyxUser(rng, emails, groups, i === 0);
    const hardCase = i > 0 ? TELNYX_HARD_CASES[i - 1] : undefined;
    if (hardCase) {
      const patch = hardCase(user, { previous: users[i - 1], groups });
      if (patch.email !== undefined) patch.email = emails.replace(user.email, patch.email);
      Object.assign(user, patch);
    }
    users.push(user);
  }
  return users.sort((a, b) => compareIds(a.created_at, b.created_at) || compareIds(a.id, b.id));
}

function randomTelnyxUser(
  rng: Rng,
  emails: EmailRegistry,
  groups: TelnyxGroup[],
  owner: boolean,
): TelnyxUser {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const domain = rng.chance(0.85) ? COMPANY_DOMAIN : rng.pick(OTHER_DOMAINS);
  const created = owner
    ? TELNYX_START
    : TELNYX_START + Math.floor(rng.next() * (DATA_END - TELNYX_START - 30 * DAY_MS));
  const statusRoll = rng.next();
  const groupRoll = rng.next();
  const groupCount =
    groupRoll < 0.25
      ? 0
      : groupRoll < 0.93
        ? rng.int(1, 3)
        : groupRoll < 0.99
          ? rng.int(4, 12)
          : rng.int(15, 30);
  return {
    id: rng.uuid(),
    record_type: owner ? "organization_owner" : "organization_sub_user",
    email: emails.claim(owner ? "admin" : asciiLocal(rng, first, last), domain),
    user_status: owner || statusRoll < 0.8 ? "enabled" : statusRoll < 0.92 ? "disabled" : "blocked",
    organization_user_bypasses_sso: owner || rng.chance(0.08),
    created_at: new Date(created).toISOString(),
    last_sign_in_at:
      !owner && rng.chance(0.15)
        ? null
        : new Date(created + Math.floor(rng.next() * (DATA_END - created))).toISOString(),
    groups: pickDistinct(rng, groups, owner ? 3 : groupCount),
  };
}

// ---------------------------------------------------------------- OpenAI

type OpenAIHardCase = (
  user: OpenAIUser,
  ctx: { previous: OpenAIUser | undefined; projects: OpenAIProjectRef[] },
) => void;

function setName(user: OpenAIUser, name: string | null): void {
  user.name = name;
  if (user.user) user.user.name = name;
}

const OPENAI_HARD_CASES: { email?: string | null; apply: OpenAIHardCase }[] = [
  { email: "siobhan.obrien@contoso.com", apply: (u) => setName(u, "O'Brien, Siobhán") },
  { email: '"bobby, tables"@globex.net', apply: (u) => setName(u, 'Robert "Bobby" Tables') },
  { apply: (u) => setName(u, "Mary-Jane\nWatson") },
  { email: "yamada@例え.jp", apply: (u) => setName(u, "山田 太郎") },
  { email: "emoji😀@northwind.io", apply: (u) => setName(u, "Zoë 😀👍🏽") },
  {
    email: "=cmd@contoso.com",
    apply: (u) => setName(u, '=HYPERLINK("http://example.com","click")'),
  },
  { email: "+alerts@contoso.com", apply: (u) => setName(u, "+15551234567") },
  { email: "-dash@globex.net", apply: (u) => setName(u, "-2+3") },
  { apply: (u) => setName(u, "@SUM(A1:A2)") },
  { email: "Dana.Scully@Contoso.com", apply: (u) => setName(u, "Dana Scully") },
  // Service account without an email (null), and one with the key absent altogether.
  {
    email: null,
    apply: (u) => {
      makeServiceAccount(u, "🚀 Launch Bot");
    },
  },
  {
    apply: (u) => {
      makeServiceAccount(u, "svc-nightly-export");
      delete u.email;
      if (u.user) delete u.user.email;
    },
  },
  {
    apply: (u) => {
      u.is_scim_managed = true;
      u.role = "owner";
    },
  },
  {
    apply: (u) => {
      u.user = { ...(u.user ?? { object: "user", id: u.id }), enabled: false };
    },
  },
  {
    apply: (u) => {
      u.user = {
        ...(u.user ?? { object: "user", id: u.id }),
        banned: true,
        banned_at: u.added_at + 86_400 * 30,
      };
    },
  },
  // The bare minimum the API promises.
  {
    apply: (u) => {
      for (const key of Object.keys(u) as (keyof OpenAIUser)[]) {
        if (key !== "object" && key !== "id" && key !== "added_at") delete u[key];
      }
    },
  },
  // Every nullable field null.
  {
    email: null,
    apply: (u) => {
      Object.assign(u, {
        name: null,
        role: null,
        api_key_last_used_at: null,
        developer_persona: null,
        technical_level: null,
        is_scale_tier_authorized_purchaser: null,
        projects: null,
      });
      u.user = {
        object: "user",
        id: u.id,
        email: null,
        name: null,
        picture: null,
        enabled: null,
        banned: null,
        banned_at: null,
      };
    },
  },
  {
    apply: (u, { projects }) => {
      u.projects = { object: "list", data: projects.map((p) => ({ ...p })) };
    },
  },
  {
    apply: (u) => {
      u.projects = { object: "list", data: [] };
    },
  },
  {
    apply: (u) => {
      u.api_key_last_used_at = null;
    },
  },
  // Same added_at as its neighbour: the order falls back to the id.
  {
    apply: (u, { previous }) => {
      if (previous) u.added_at = previous.added_at;
    },
  },
];

function generateOpenAI(rng: Rng, count: number): OpenAIUser[] {
  const projects: OpenAIProjectRef[] = OPENAI_PROJECT_NAMES.map((name) => ({
    id: `proj_${rng.alnum(24)}`,
    name,
    role: rng.chance(0.3) ? "owner" : "member",
  }));
  const emails = new EmailRegistry();
  const users: OpenAIUser[] = [];
  for (let i = 0; i < count; i++) {
    const user = randomOpenAIUser(rng, emails, projects, i === 0);
    const hardCase = i > 0 ? OPENAI_HARD_CASES[i - 1] : undefined;
    if (hardCase) {
      if (hardCase.email !== undefined) {
        const email = hardCase.email === null ? null : emails.replace(user.email, hardCase.email);
        user.email = email;
        if (user.user) user.user.email = email;
      }
      hardCase.apply(user, { previous: users[i - 1], projects });
    }
    users.push(user);
  }
  return users.sort((a, b) => a.added_at - b.added_at || compareIds(a.id, b.id));
}

function makeServiceAccount(user: OpenAIUser, name: string): void {
  user.is_service_account = true;
  user.role = "reader";
  user.is_scim_managed = false;
  user.developer_persona = null;
  user.technical_level = null;
  setName(user, name);
}

function randomOpenAIUser(
  rng: Rng,
  emails: EmailRegistry,
  projects: OpenAIProjectRef[],
  owner: boolean,
): OpenAIUser {
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const addedMs = owner
    ? OPENAI_START
    : OPENAI_START + Math.floor(rng.next() * (DATA_END - OPENAI_START - DAY_MS));
  const addedAt = seconds(addedMs);
  const serviceAccount = !owner && rng.chance(0.03);
  const id = `user${serviceAccount ? "-" : "_"}${rng.alnum(24)}`;

  let name: string | null | undefined;
  let email: string | null | undefined;
  if (serviceAccount) {
    name = `${rng.pick(SERVICE_ACCOUNT_NAMES)}-${rng.int(1, 99)}`;
    email = rng.chance(0.5) ? null : undefined;
  } else if (rng.chance(0.1)) {
    const intl = rng.pick(INTERNATIONAL_NAMES);
    name = intl.name;
    email = emails.claim(intl.local, rng.pick([COMPANY_DOMAIN, ...OTHER_DOMAINS]));
  } else {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const nameRoll = rng.next();
    name = nameRoll < 0.02 ? null : nameRoll < 0.04 ? undefined : `${first} ${last}`;
    email = emails.claim(
      asciiLocal(rng, first, last),
      rng.chance(0.8) ? COMPANY_DOMAIN : rng.pick(OTHER_DOMAINS),
    );
  }

  const pick3 = <T>(
    present: () => T,
    nullShare: number,
    absentShare: number,
  ): T | null | undefined => {
    const roll = rng.next();
    return roll < absentShare ? undefined : roll < absentShare + nullShare ? null : present();
  };
  const projectRoll = rng.next();
  const user: OpenAIUser = {
    object: "organization.user",
    id,
    name,
    email,
    role:
      owner || (!serviceAccount && rng.chance(0.04)) ? "owner" : rng.chance(0.01) ? null : "reader",
    added_at: addedAt,
    created: rng.chance(0.85) ? addedAt - rng.int(0, 400 * 86_400) : undefined,
    api_key_last_used_at: pick3(
      () => addedAt + Math.floor(rng.next() * (seconds(DATA_END) - addedAt)),
      0.4,
      0.1,
    ),
    developer_persona: serviceAccount ? null : pick3(() => rng.pick(DEVELOPER_PERSONAS), 0.2, 0.5),
    technical_level: serviceAccount ? null : pick3(() => rng.pick(TECHNICAL_LEVELS), 0.2, 0.5),
    is_default: rng.chance(0.1) ? undefined : owner,
    is_scim_managed: rng.chance(0.1) ? undefined : !serviceAccount && rng.chance(0.2),
    is_service_account: !serviceAccount && rng.chance(0.1) ? undefined : serviceAccount,
    is_scale_tier_authorized_purchaser: pick3(() => rng.chance(0.08), 0.25, 0.1),
    projects:
      projectRoll < 0.35
        ? undefined
        : projectRoll < 0.6
          ? null
          : {
              object: "list",
              data: pickDistinct(rng, projects, rng.chance(0.03) ? rng.int(8, 20) : rng.int(0, 4)),
            },
    user: rng.chance(0.15)
      ? undefined
      : {
          object: "user",
          id,
          email,
          name,
          picture: rng.chance(0.6)
            ? `https://s.gravatar.com/avatar/${rng.hex(32)}?s=480&r=pg`
            : null,
          enabled: rng.chance(0.03) ? false : rng.chance(0.02) ? null : true,
          banned: rng.chance(0.01) ? null : false,
          banned_at: null,
        },
  };
  return dropUndefined(user);
}

/** Absent means absent on the wire: remove keys left undefined. */
function dropUndefined<T extends object>(record: T): T {
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) delete (record as Record<string, unknown>)[key];
    else if (value && typeof value === "object" && !Array.isArray(value)) dropUndefined(value);
  }
  return record;
}
