/**
 * The part of the users API contract the browser needs at run time: ids,
 * labels, limits, the query string of a view and the error envelope. No zod:
 * the schemas (schema.ts) stay with the route handlers, and the browser only
 * takes types from them, so the dashboard does not download a validator.
 */
import { isRecord } from "@/lib/api/json-guards";
import { VENDORS } from "@/lib/providers/meta";

import { unknownOrRepeatedParam, type ParseResult } from "@/lib/api/query-params";

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
export const MAX_EMAIL_LENGTH = 254;

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

  const status = params.get("status");
  if (status !== null) {
    if (!isUserStatus(status)) {
      return {
        ok: false,
        param: "status",
        message: `status must be one of ${USER_STATUSES.join(", ")}`,
      };
    }
    filters.status = status;
  }

  const email = params.get("email");
  if (email !== null) {
    if (email.length < 1 || email.length > MAX_EMAIL_LENGTH) {
      return {
        ok: false,
        param: "email",
        message: `email must be from 1 to ${MAX_EMAIL_LENGTH} characters`,
      };
    }
    filters.email = email;
  }

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

/**
 * The `{ error: { code, message } }` every API failure carries (schema.ts:
 * `apiErrorBodySchema`), or null when the body is something else.
 */
export function readApiError(body: unknown): { code: string; message: string } | null {
  const error = isRecord(body) ? body.error : null;
  return isRecord(error) && typeof error.code === "string" && typeof error.message === "string"
    ? { code: error.code, message: error.message }
    : null;
}
