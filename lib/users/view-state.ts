import { MAX_EMAIL_LENGTH } from "@/lib/api/query-params";

import { filtersToSearchParams, isProviderId, isUserStatus, PROVIDER_IDS } from "./contract";
import type { ProviderId, UsersFilters, UsersSource } from "./schema";

/** What the dashboard URL holds: `?provider=openai&status=blocked&email=ann&groups=true`. */
export interface DashboardView {
  provider: ProviderId;
  filters: UsersFilters;
  /**
   * Live from the vendor (`source=vendor`) or the directory's latest snapshot
   * (`source=directory`); null when the URL names none and Roster chooses
   * (lib/directory/choose-source.ts).
   */
  source: UsersSource | null;
}

export type ConfiguredProviders = Record<ProviderId, boolean>;

/** The provider shown when the URL names none (or an unknown one): the first configured. */
export function defaultProvider(configured: ConfiguredProviders): ProviderId {
  return PROVIDER_IDS.find((id) => configured[id]) ?? PROVIDER_IDS[0];
}

/**
 * Reads a view from the query string. Unlike the API, which rejects bad input,
 * a hand-edited or stale link falls back to something sensible: an unknown
 * provider or status is ignored, an over-long email is cut to the API's limit.
 */
const SOURCES: readonly UsersSource[] = ["vendor", "directory"];

export function parseDashboardView(
  params: Pick<URLSearchParams, "get">,
  configured: ConfiguredProviders,
): DashboardView {
  const provider = params.get("provider");
  return {
    provider: isProviderId(provider) ? provider : defaultProvider(configured),
    filters: lenientFilters(params),
    source: SOURCES.find((source) => source === params.get("source")) ?? null,
  };
}

/**
 * The filters of a link, leniently: the API's own words (`groups=true`), the
 * older `groups=1`, and anything else ignored rather than refused.
 */
function lenientFilters(params: Pick<URLSearchParams, "get">): UsersFilters {
  const status = params.get("status");
  const email = (params.get("email") ?? "").trim().slice(0, MAX_EMAIL_LENGTH);
  const groups = params.get("groups");
  const filters: UsersFilters = { groups: groups === "true" || groups === "1" };
  if (isUserStatus(status)) filters.status = status;
  if (email !== "") filters.email = email;
  return filters;
}

/**
 * The query string of a view, in a stable order; the inverse of
 * `parseDashboardView`. The filters are written as the API reads them
 * (`filtersToSearchParams`), so a dashboard link and an API call agree.
 */
export function dashboardViewToSearch(view: DashboardView): string {
  const params = new URLSearchParams({ provider: view.provider });
  for (const [key, value] of filtersToSearchParams(view.filters)) params.set(key, value);
  if (view.source !== null) params.set("source", view.source);
  return `?${params.toString()}`;
}

export function hasActiveFilters(filters: UsersFilters): boolean {
  return filters.status !== undefined || filters.email !== undefined;
}
