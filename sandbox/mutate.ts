/**
 * Changing the sandbox's users while it runs: add, remove, or change users of
 * one vendor, through `POST /_sandbox/mutate`, `sandbox.mutate()` or on a
 * schedule (`--mutate-every`). Deterministic: the same seed and the same
 * mutations give the same users. The arrays in `SandboxData` are changed in
 * place, so `sandbox.data` always shows what the vendor endpoints serve; the
 * caller rebuilds the endpoints' indexes after each mutation.
 */
import { createHash } from "node:crypto";

import { z } from "zod";

import { COMPANY_DOMAIN } from "./data-samples";
import {
  TELNYX_USER_STATUSES,
  type OpenAIUser,
  type SandboxData,
  type TelnyxGroup,
  type TelnyxUser,
} from "./data";
import type { Vendor } from "./faults";
import { createRng, type Rng } from "./random";

/** Most users one mutation may add or remove, to keep a typo from eating the machine. */
export const MAX_MUTATION_USERS = 10_000;

const userChangeSchema = z.strictObject({
  id: z.string().min(1),
  status: z.enum(TELNYX_USER_STATUSES).optional(),
  /** Telnyx `owner` / `member` (its `record_type`); OpenAI's own `role` (`owner`, `reader`, or null). */
  role: z.string().min(1).max(64).nullable().optional(),
  email: z.string().min(3).max(254).includes("@").optional(),
  /** Group (Telnyx) or project (OpenAI) names; replaces the user's list. */
  groups: z.array(z.string().min(1).max(100)).max(50).optional(),
});

export const mutationSchema = z.strictObject({
  vendor: z.enum(["telnyx", "openai"]),
  /** New users, appended after the newest existing one (vendor order is creation time). */
  add: z.int().min(0).max(MAX_MUTATION_USERS).optional(),
  /** These ids, or this many users picked by the sandbox's seed (never an owner). */
  remove: z
    .union([
      z.array(z.string().min(1)).max(MAX_MUTATION_USERS),
      z.int().min(0).max(MAX_MUTATION_USERS),
    ])
    .optional(),
  change: z.array(userChangeSchema).max(MAX_MUTATION_USERS).optional(),
});

export type Mutation = z.infer<typeof mutationSchema>;
export type UserChange = z.infer<typeof userChangeSchema>;

export interface MutationResult {
  vendor: Vendor;
  /** Ids in the order they were added, removed, changed. */
  added: string[];
  removed: string[];
  changed: string[];
  /** The vendor's user count afterwards. */
  users: number;
}

export type MutationOutcome = { ok: true; result: MutationResult } | { ok: false; message: string };

function stableId(prefix: string, name: string): string {
  return `${prefix}${createHash("sha256").update(name).digest("hex").slice(0, 24)}`;
}

const TELNYX_ROLES = new Map([
  ["owner", "organization_owner"],
  ["member", "organization_sub_user"],
] as const);

/** Applies mutations to one `SandboxData`, all-or-nothing per call. */
export class Mutator {
  private rng: Rng;
  /** Numbers new users, so that their emails and times never repeat. */
  private added = 0;
  private scheduled = { telnyx: 0, openai: 0 };
  /** Whether the data differs from what was generated. */
  dirty = false;

  constructor(
    private readonly data: SandboxData,
    private readonly seed: number,
  ) {
    this.rng = createRng(seed ^ 0x1b873593);
  }

  /** After the data was regenerated: the same mutations give the same users again. */
  reset(): void {
    this.rng = createRng(this.seed ^ 0x1b873593);
    this.added = 0;
    this.scheduled = { telnyx: 0, openai: 0 };
    this.dirty = false;
  }

  /** Validates and applies `input`; nothing changes when the answer is not ok. */
  apply(input: unknown): MutationOutcome {
    const parsed = mutationSchema.safeParse(input);
    if (!parsed.success) return { ok: false, message: z.prettifyError(parsed.error) };
    const m = parsed.data;
    const users: { id: string; email?: string | null }[] = this.data[m.vendor];
    const ids = new Set(users.map((u) => u.id));

    const removeIds = Array.isArray(m.remove) ? m.remove : [];
    for (const id of removeIds) {
      if (!ids.has(id)) return { ok: false, message: `remove: no ${m.vendor} user has id ${id}` };
    }
    if (new Set(removeIds).size !== removeIds.length) {
      return { ok: false, message: "remove: an id is listed twice" };
    }
    const changes = m.change ?? [];
    const removing = new Set(removeIds);
    const emails = new Map<string, string>();
    for (const u of users) if (typeof u.email === "string") emails.set(u.email.toLowerCase(), u.id);
    for (const change of changes) {
      if (!ids.has(change.id) || removing.has(change.id)) {
        return { ok: false, message: `change: no ${m.vendor} user has id ${change.id}` };
      }
      if (m.vendor === "telnyx" && change.role !== undefined) {
        if (change.role === null || !TELNYX_ROLES.has(change.role as "owner")) {
          return { ok: false, message: "change: a Telnyx role is owner or member" };
        }
      }
      if (change.email !== undefined) {
        const holder = emails.get(change.email.toLowerCase());
        if (holder !== undefined && holder !== change.id) {
          return { ok: false, message: `change: ${change.email} belongs to another user` };
        }
        emails.set(change.email.toLowerCase(), change.id);
      }
    }
    if (typeof m.remove === "number") {
      const candidates = users.length - 1 - removeIds.length;
      if (m.remove > candidates) {
        return {
          ok: false,
          message: `remove: only ${candidates} ${m.vendor} users can be removed`,
        };
      }
    }

    this.dirty = true;
    const result: MutationResult = {
      vendor: m.vendor,
      added: [],
      removed: [],
      changed: [],
      users: 0,
    };
    for (const change of changes) {
      if (m.vendor === "telnyx") this.changeTelnyx(change);
      else this.changeOpenAI(change);
      result.changed.push(change.id);
    }
    result.removed =
      typeof m.remove === "number" ? this.pickRemovals(m.vendor, m.remove) : removeIds;
    this.remove(m.vendor, new Set(result.removed));
    for (let i = 0; i < (m.add ?? 0); i++) {
      result.added.push(m.vendor === "telnyx" ? this.addTelnyx(emails) : this.addOpenAI(emails));
    }
    result.users = this.data[m.vendor].length;
    return { ok: true, result };
  }

  /**
   * The `--mutate-every` schedule: called for each list request of a vendor;
   * every `every`-th one first removes a user, the next such one adds one,
   * and so on, so the total moves at every step.
   */
  tick(vendor: Vendor, every: number | null): MutationResult | null {
    if (every === null || every <= 0) return null;
    const count = ++this.scheduled[vendor];
    if (count % every !== 0) return null;
    const step = count / every;
    const removable = this.data[vendor].length > 1;
    const outcome = this.apply(
      step % 2 === 1 && removable ? { vendor, remove: 1 } : { vendor, add: 1 },
    );
    return outcome.ok ? outcome.result : null;
  }

  private pickRemovals(vendor: Vendor, count: number): string[] {
    const users = this.data[vendor];
    const chosen = new Set<string>();
    // Index 0 is the organization's owner in both vendors' data.
    while (chosen.size < count) {
      const user = users[this.rng.int(1, users.length - 1)];
      if (user) chosen.add(user.id);
    }
    return [...chosen];
  }

  private remove(vendor: Vendor, ids: Set<string>): void {
    if (ids.size === 0) return;
    const users: { id: string }[] = this.data[vendor];
    let kept = 0;
    for (const user of users) if (!ids.has(user.id)) users[kept++] = user;
    users.length = kept;
  }

  private groupsFor(names: string[]): TelnyxGroup[] {
    const known = new Map<string, string>();
    for (const u of this.data.telnyx) for (const g of u.groups) known.set(g.name, g.id);
    return [...new Set(names)].map((name) => ({ id: known.get(name) ?? stableId("", name), name }));
  }

  private changeTelnyx(change: UserChange): void {
    const user = this.data.telnyx.find((u) => u.id === change.id);
    if (!user) return;
    if (change.status) user.user_status = change.status;
    const recordType = change.role ? TELNYX_ROLES.get(change.role as "owner") : undefined;
    if (recordType) user.record_type = recordType;
    if (change.email !== undefined) user.email = change.email;
    if (change.groups) user.groups = this.groupsFor(change.groups);
  }

  private changeOpenAI(change: UserChange): void {
    const user = this.data.openai.find((u) => u.id === change.id);
    if (!user) return;
    if (change.status) {
      const nested = user.user ?? { object: "user" as const, id: user.id };
      user.user = {
        ...nested,
        enabled: change.status !== "disabled",
        banned: change.status === "blocked",
        banned_at: change.status === "blocked" ? user.added_at + 86_400 : null,
      };
    }
    if (change.role !== undefined) user.role = change.role;
    if (change.email !== undefined) {
      user.email = change.email;
      if (user.user) user.user.email = change.email;
    }
    if (change.groups) {
      user.projects = {
        object: "list",
        data: [...new Set(change.groups)].map((name) => ({
          id: stableId("proj_", name),
          name,
          role: "member",
        })),
      };
    }
  }

  private nextEmail(emails: Map<string, string>, id: string): string {
    let email: string;
    do email = `added.user${++this.added}@${COMPANY_DOMAIN}`;
    while (emails.has(email));
    emails.set(email, id);
    return email;
  }

  private addTelnyx(emails: Map<string, string>): string {
    const users = this.data.telnyx;
    const newest = users.at(-1)?.created_at;
    const created = Math.max(newest ? Date.parse(newest) : 0, Date.UTC(2025, 10, 1)) + 60_000;
    const id = this.rng.uuid();
    const user: TelnyxUser = {
      id,
      record_type: "organization_sub_user",
      email: this.nextEmail(emails, id),
      user_status: "enabled",
      organization_user_bypasses_sso: false,
      created_at: new Date(created).toISOString(),
      last_sign_in_at: null,
      groups: [],
    };
    users.push(user);
    return id;
  }

  private addOpenAI(emails: Map<string, string>): string {
    const users = this.data.openai;
    const addedAt = Math.max(users.at(-1)?.added_at ?? 0, Date.UTC(2025, 10, 1) / 1000) + 60;
    const id = `user_${this.rng.alnum(24)}`;
    const email = this.nextEmail(emails, id);
    const name = `Added User ${this.added}`;
    const user: OpenAIUser = {
      object: "organization.user",
      id,
      name,
      email,
      role: "reader",
      added_at: addedAt,
      created: addedAt,
      api_key_last_used_at: null,
      is_default: false,
      is_scim_managed: false,
      is_service_account: false,
      projects: null,
      user: { object: "user", id, email, name, enabled: true, banned: false, banned_at: null },
    };
    users.push(user);
    return id;
  }
}
