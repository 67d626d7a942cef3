import "server-only";

import type { Db } from "@/lib/db/client";
import { logExportFailure, midwayFailuresAsApiErrors, startCsvStream } from "@/lib/export/stream";
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
 * The filtered people as a streamed CSV, all from the build `state` names:
 * the first chunk is read before this resolves (a rebuild since `state`, 409
 * `list_changed`, or a database error rejects, for a JSON error), the rest one
 * chunk per read as the client takes them, so memory stays flat however many
 * people there are. A failure midway (a rebuild: `list_changed`; a database
 * error: `internal_error`) ends the body with `#roster-export-failed:<code>`
 * and cuts it; the client going away (`signal`) stops the reads.
 */
export async function startPeopleCsvExport(input: {
  db: Db;
  filters: PeopleFilters;
  state: PeopleState;
  signal: AbortSignal;
  chunk?: number;
}): Promise<ReadableStream<Uint8Array>> {
  return await startCsvStream<Person>({
    header: PEOPLE_COLUMNS.map(([id]) => id),
    batches: (signal) =>
      midwayFailuresAsApiErrors(
        iteratePeople(input.db, input.filters, input.state, { chunk: input.chunk, signal }),
        "The people could not be read from the database.",
      ),
    writeRow: (out, person) => {
      for (let i = 0; i < PEOPLE_COLUMNS.length; i++) {
        out.cell(PEOPLE_COLUMNS[i]![1](person), i === 0);
      }
      out.endRow();
    },
    signal: input.signal,
    onSettled: logExportFailure("people export"),
  });
}
