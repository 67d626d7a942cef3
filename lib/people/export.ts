import "server-only";

import type { Db } from "@/lib/db/client";
import { CSV_BOM, csvRow } from "@/lib/export/csv";
import type { User } from "@/lib/users/schema";

import type { PeopleState } from "./build";
import { iteratePeople } from "./list";
import type { Person } from "./schema";
import type { PeopleFilters } from "./contract";

type Cell = (person: Person) => string | null;

/** Values of a person's accounts in one vendor, joined; null when they have none there. */
function each(accounts: readonly User[], read: (user: User) => string | null): string | null {
  if (accounts.length === 0) return null;
  return accounts.map((user) => read(user) ?? "").join("; ");
}

function openaiAccount(user: User): string {
  if (user.vendor.is_service_account === true) return "service_account";
  return user.vendor.is_scim_managed === true ? "scim_managed" : "user";
}

const groups = (user: User) => (user.groups ? user.groups.map((g) => g.name).join(", ") : null);

/** The export's columns, in order: the id is the header. */
export const PEOPLE_COLUMNS: readonly (readonly [string, Cell])[] = [
  ["key", (p) => p.key],
  ["email", (p) => p.email],
  ["flags", (p) => p.flags.map((f) => f.flag).join("; ")],
  ["reasons", (p) => p.flags.map((f) => `${f.flag}: ${f.reason}`).join("; ")],
  ["roster_name", (p) => p.roster?.name ?? null],
  ["roster_status", (p) => p.roster?.status ?? null],
  ["roster_end_date", (p) => p.roster?.endDate ?? null],
  ["department", (p) => p.roster?.department ?? null],
  ["manager", (p) => p.roster?.manager ?? null],
  ["telnyx_status", (p) => each(p.accounts.telnyx, (u) => u.status)],
  ["telnyx_role", (p) => each(p.accounts.telnyx, (u) => u.role)],
  ["telnyx_last_sign_in_at", (p) => each(p.accounts.telnyx, (u) => u.lastActiveAt)],
  [
    "telnyx_sso_bypass",
    (p) => each(p.accounts.telnyx, (u) => String(u.vendor.organization_user_bypasses_sso === true)),
  ],
  ["telnyx_groups", (p) => each(p.accounts.telnyx, groups)],
  ["openai_status", (p) => each(p.accounts.openai, (u) => u.status)],
  ["openai_role", (p) => each(p.accounts.openai, (u) => u.role)],
  ["openai_last_api_key_use", (p) => each(p.accounts.openai, (u) => u.lastActiveAt)],
  ["openai_account", (p) => each(p.accounts.openai, openaiAccount)],
  ["openai_projects", (p) => each(p.accounts.openai, groups)],
];

/** `roster-people-2025-01-31.csv`, dated in UTC. */
export function peopleExportFilename(now = new Date()): string {
  return `roster-people-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * The filtered people as CSV, streamed: the next chunk of people is read only
 * when the client has taken the previous one, so memory stays flat however
 * many people there are. A failure midway errors the stream, which cuts the
 * connection instead of ending a short file as if it were complete.
 */
export function peopleCsvStream(
  db: Db,
  filters: PeopleFilters,
  state: PeopleState,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = iteratePeople(db, filters, state);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvRow(PEOPLE_COLUMNS.map(([id]) => id))));
        return;
      }
      const next = await chunks.next();
      if (next.done) {
        controller.close();
        return;
      }
      let text = "";
      for (const person of next.value)
        text += csvRow(PEOPLE_COLUMNS.map(([, cell]) => cell(person)));
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
