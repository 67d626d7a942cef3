/** The export's file name, shared by the route (which sets it) and the button (which saves under it). */
import type { ChangesQuery } from "@/lib/directory/schema";
import type { ProviderId } from "@/lib/users/schema";

/** `roster-telnyx-users-2025-01-31.csv`, dated in UTC. */
export function exportFilename(provider: ProviderId, now = new Date()): string {
  return `roster-${provider}-users-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * The `filename` of a `Content-Disposition` header, reduced to characters safe
 * in a file name everywhere, or null when there is none.
 */
export function filenameFromDisposition(header: string | null): string | null {
  const match = header?.match(/filename="([^"]*)"/i) ?? header?.match(/filename=([^;\s]+)/i);
  const name = match?.[1]?.replace(/[^\w.-]/g, "_").replace(/^\.+/, "");
  return name ? name : null;
}

/**
 * `roster-openai-changes.csv`, or with a filter what it kept:
 * `roster-openai-changes-removed.csv`, `roster-openai-changes-role.csv`.
 */
export function changesFilename(
  query: Pick<ChangesQuery, "provider" | "change" | "field">,
): string {
  const only = query.field ?? query.change;
  return `roster-${query.provider}-changes${only ? `-${only}` : ""}.csv`;
}
