/**
 * The part of the activity log's contract the browser needs at run time: the
 * kinds of entry and the filters' query string. No zod (see
 * lib/users/contract.ts); schema.ts gives each kind its details' schema.
 */
export const ACTIVITY_KINDS = [
  "auth.sign_in",
  "auth.sign_out",
  "export.started",
  "export.finished",
  "directory.sync",
  "roster.upload",
  "roster.removed",
  "offboarding.check",
  "review.created",
  "review.decided",
  "review.closed",
  "review.downloaded",
  "activity.exported",
  "activity.pruned",
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** The query string for the filters (no limit or cursor), for the page and the CSV link. */
export function activityFiltersToSearchParams(filters: {
  kind?: string;
  admin?: string;
  from?: string;
  to?: string;
}): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["kind", "admin", "from", "to"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The filters from the page's URL (what `activityFiltersToSearchParams`
 * wrote); a value the page could not have written is left out, and the API
 * judges the rest.
 */
export function activityFiltersFromSearchParams(params: URLSearchParams): {
  kind?: string;
  admin?: string;
  from?: string;
  to?: string;
} {
  const filters: { kind?: string; admin?: string; from?: string; to?: string } = {};
  const kind = params.get("kind");
  if (kind && (ACTIVITY_KINDS as readonly string[]).includes(kind)) filters.kind = kind;
  const admin = params.get("admin")?.trim();
  if (admin && admin.length <= 254) filters.admin = admin;
  for (const key of ["from", "to"] as const) {
    const value = params.get(key);
    if (value && DAY.test(value)) filters[key] = value;
  }
  return filters;
}
