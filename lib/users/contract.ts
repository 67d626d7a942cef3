/**
 * The part of the users API contract the browser needs at run time: ids,
 * labels, limits, the query string of a view and the error envelope. No zod:
 * the schemas (schema.ts) stay with the route handlers, and the browser only
 * takes types from them, so the dashboard does not download a validator.
 */
import {
  emailParam,
  isProblem,
  oneOfParam,
  unknownOrRepeatedParam,
  type ParseResult,
} from "@/lib/api/query-params";
import { VENDORS } from "@/lib/providers/meta";

import type { ProviderId, UserStatus, UsersFilters } from "./schema";

export const PROVIDER_IDS = ["telnyx", "openai"] as const;

/** Each vendor's name as people read it (lib/providers/<vendor>/meta.ts). */
export const PROVIDER_LABELS: Record<ProviderId, string> = {
  telnyx: VENDORS.telnyx.label,
  openai: VENDORS.openai.label,
};

export const USER_STATUSES = ["enabled", "disabled", "blocked"] as const;

export const FILTER_NAMES = ["status", "email"] as const;

export const USERS_SOURCES = ["vendor", "directory"] as const;

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

export function isProviderId(value: unknown): value is ProviderId {
  return (PROVIDER_IDS as readonly unknown[]).includes(value);
}

export function isUserStatus(value: unknown): value is UserStatus {
  return (USER_STATUSES as readonly unknown[]).includes(value);
}

/**
 * Parses the filter parameters shared by the list and export endpoints.
 * Unknown parameters and repeated parameters are rejected, so a typo such as
 * `stauts=blocked` is reported instead of silently returning everyone.
 */
export function parseUsersFilters(
  params: URLSearchParams,
  allowed: readonly string[] = ["status", "email", "groups"],
): ParseResult<UsersFilters> {
  const problem = unknownOrRepeatedParam(params, allowed);
  if (problem) return problem;
  const filters: UsersFilters = { groups: false };

  const status = oneOfParam(params, "status", USER_STATUSES);
  if (isProblem(status)) return status;
  if (status !== undefined) filters.status = status;

  const email = emailParam(params);
  if (isProblem(email)) return email;
  if (email !== undefined) filters.email = email;

  const groups = params.get("groups");
  if (groups !== null) {
    if (groups !== "true" && groups !== "false") {
      return { ok: false, param: "groups", message: "groups must be true or false" };
    }
    filters.groups = groups === "true";
  }
  return { ok: true, value: filters };
}

/** The query string for a view's filters, in a stable order (also the query-key order). */
export function filtersToSearchParams(filters: UsersFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.email) params.set("email", filters.email);
  if (filters.groups) params.set("groups", "true");
  return params;
}
