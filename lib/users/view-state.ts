import {
  MAX_EMAIL_LENGTH,
  PROVIDER_IDS,
  providerIdSchema,
  userStatusSchema,
  type ProviderId,
  type UsersFilters,
  type UsersSource,
} from "./schema";

/** What the dashboard URL holds: `?provider=openai&status=blocked&email=ann&groups=1`. */
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
  const provider = providerIdSchema.safeParse(params.get("provider"));
  const status = userStatusSchema.safeParse(params.get("status"));
  const email = (params.get("email") ?? "").trim().slice(0, MAX_EMAIL_LENGTH);
  const groups = params.get("groups");

  const filters: UsersFilters = { groups: groups === "1" || groups === "true" };
  if (status.success) filters.status = status.data;
  if (email !== "") filters.email = email;
  return {
    provider: provider.success ? provider.data : defaultProvider(configured),
    filters,
    source: SOURCES.find((source) => source === params.get("source")) ?? null,
  };
}

/** The query string of a view, in a stable order; the inverse of `parseDashboardView`. */
export function dashboardViewToSearch(view: DashboardView): string {
  const params = new URLSearchParams({ provider: view.provider });
  if (view.filters.status) params.set("status", view.filters.status);
  if (view.filters.email) params.set("email", view.filters.email);
  if (view.filters.groups) params.set("groups", "1");
  if (view.source !== null) params.set("source", view.source);
  return `?${params.toString()}`;
}

export function hasActiveFilters(filters: UsersFilters): boolean {
  return filters.status !== undefined || filters.email !== undefined;
}
