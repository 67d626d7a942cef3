/**
 * The part of the People API contract the browser needs at run time: the
 * flags and their labels, and the filters as the URL and the API write them.
 * No zod (see lib/users/contract.ts); the schemas are in schema.ts.
 */
import {
  emailParam,
  isProblem,
  unknownOrRepeatedParam,
  type ParseResult,
} from "@/lib/api/query-params";
import { isProviderId, PROVIDER_IDS } from "@/lib/users/contract";
import type { ProviderId } from "@/lib/users/schema";

import type { PersonFlag } from "./schema";

/**
 * The person an account belongs to, as the directory keys people (`PERSON_KEY`
 * in lib/people/build.ts): its email trimmed and lowercased, or
 * `account:<provider>:<id>` for an account without one.
 */
export function personKeyOf(account: {
  provider: ProviderId;
  id: string;
  email: string | null;
}): string {
  const email = account.email?.trim().toLowerCase() ?? "";
  return email === "" ? `account:${account.provider}:${account.id}` : email;
}

export const PERSON_FLAGS = [
  "leaver_with_access",
  "used_after_leaving",
  "not_in_roster",
  "inconsistent_status",
  "privileged",
  "sso_bypass",
  "dormant",
  "external",
  "not_scim_managed",
  "service_account",
] as const;

/** Chip labels: "4 leavers with access". */
export const FLAG_LABELS = {
  leaver_with_access: "leavers with access",
  used_after_leaving: "used after leaving",
  not_in_roster: "not in roster",
  inconsistent_status: "inconsistent status",
  privileged: "privileged",
  sso_bypass: "bypass SSO",
  dormant: "dormant",
  external: "external",
  not_scim_managed: "not SCIM-managed",
  service_account: "service accounts",
} as const satisfies Record<PersonFlag, string>;

/** One flag's name where a person carries it: "Leaver with access: Left per the HR roster …". */
export const FLAG_NAMES = {
  leaver_with_access: "Leaver with access",
  used_after_leaving: "Used after leaving",
  not_in_roster: "Not in roster",
  inconsistent_status: "Inconsistent status",
  privileged: "Privileged",
  sso_bypass: "SSO bypass",
  dormant: "Dormant",
  external: "External",
  not_scim_managed: "Not SCIM-managed",
  service_account: "Service account",
} as const satisfies Record<PersonFlag, string>;

function isPersonFlag(value: string): value is PersonFlag {
  return (PERSON_FLAGS as readonly string[]).includes(value);
}

export interface PeopleFilters {
  email?: string;
  flags: PersonFlag[];
  vendors: ProviderId[];
}

export const PEOPLE_DEFAULT_LIMIT = 50;
export const PEOPLE_MAX_LIMIT = 200;

/**
 * Parses the filters shared by the list, the export and the page's URL.
 * `flag` and `vendor` may repeat (every flag must hold; any vendor may);
 * everything else at most once, and unknown parameters are refused.
 */
export function parsePeopleFilters(
  params: URLSearchParams,
  allowed: readonly string[] = ["email", "flag", "vendor"],
): ParseResult<PeopleFilters> {
  const problem = unknownOrRepeatedParam(params, allowed, ["flag", "vendor"]);
  if (problem) return problem;
  const filters: PeopleFilters = { flags: [], vendors: [] };
  const email = emailParam(params);
  if (isProblem(email)) return email;
  if (email !== undefined) filters.email = email;
  for (const flag of params.getAll("flag")) {
    if (!isPersonFlag(flag)) {
      return {
        ok: false,
        param: "flag",
        message: `flag must be one of ${PERSON_FLAGS.join(", ")}`,
      };
    }
    if (!filters.flags.includes(flag)) filters.flags.push(flag);
  }
  for (const vendor of params.getAll("vendor")) {
    if (!isProviderId(vendor)) {
      return { ok: false, param: "vendor", message: `vendor must be ${PROVIDER_IDS.join(" or ")}` };
    }
    if (!filters.vendors.includes(vendor)) filters.vendors.push(vendor);
  }
  return { ok: true, value: filters };
}

/** The query string for filters, in a stable order (URL, query key, export link). */
export function peopleFiltersToSearchParams(filters: PeopleFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.email) params.set("email", filters.email);
  for (const flag of PERSON_FLAGS) if (filters.flags.includes(flag)) params.append("flag", flag);
  for (const vendor of PROVIDER_IDS) {
    if (filters.vendors.includes(vendor)) params.append("vendor", vendor);
  }
  return params;
}
