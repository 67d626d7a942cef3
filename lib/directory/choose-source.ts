/**
 * Which source answers a dashboard view when the admin has not chosen one:
 * the directory when the vendor cannot apply a filter of the view itself
 * (Roster would scan every vendor page) and a recent snapshot exists; the
 * vendor, live, otherwise. Browser-safe: the dashboard and the adapters share it.
 */
import type { FilterName, ProviderId, UsersFilters, UsersSource } from "@/lib/users/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";

import type { DirectoryStatus } from "./schema";

/** A snapshot at most this old answers a view on its own. */
export const DIRECTORY_FRESH_MS = 60 * 60_000;

/** The filters of a view that the vendor's API cannot apply, so Roster applies them to every page. */
export function rosterSideFilters(provider: ProviderId, filters: UsersFilters): FilterName[] {
  if (provider !== "openai") return [];
  return [
    ...(filters.status ? ["status" as const] : []),
    ...(filters.email ? ["email" as const] : []),
  ];
}

export interface SourceChoice {
  source: UsersSource;
  /** Whether Roster chose it (no `source` in the URL). */
  automatic: boolean;
  /** Why the directory was chosen, in words for the toolbar; null otherwise. */
  reason: string | null;
}

/**
 * The source for a view. `chosen` is the URL's (null: none). `status` is the
 * directory's, undefined while it loads: the answer is then null (wait) when
 * the choice depends on it, so a view does not start live and switch.
 */
export function chooseSource(input: {
  provider: ProviderId;
  filters: UsersFilters;
  chosen: UsersSource | null;
  status: DirectoryStatus | undefined | "unavailable";
  now: number;
}): SourceChoice | null {
  const { provider, chosen, status } = input;
  if (chosen !== null) return { source: chosen, automatic: false, reason: null };
  const live: SourceChoice = { source: "vendor", automatic: true, reason: null };
  const needs = rosterSideFilters(provider, input.filters);
  if (needs.length === 0) return live;
  if (status === undefined) return null;
  if (status === "unavailable") return live;
  const finishedAt = Date.parse(status.providers[provider]?.current?.finishedAt ?? "");
  if (!Number.isFinite(finishedAt) || input.now - finishedAt > DIRECTORY_FRESH_MS) return live;
  const what = needs.map((name) => (name === "email" ? "part of an email" : name)).join(" or ");
  return {
    source: "directory",
    automatic: true,
    reason: `${PROVIDER_LABELS[provider]} cannot filter by ${what}: read from the directory.`,
  };
}
