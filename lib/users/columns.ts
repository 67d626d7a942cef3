/**
 * Each vendor's columns (from its lib/providers/<vendor>/meta.ts), and the
 * column facts the dashboard looks up by vendor. Browser-safe.
 */
import { VENDORS } from "@/lib/providers/meta";

import type { UserColumn } from "./column-kinds";
import type { ProviderId } from "./schema";

export type { UserColumn } from "./column-kinds";

/** Each vendor's columns, in display order. */
export const USER_COLUMNS: Record<ProviderId, readonly UserColumn[]> = {
  telnyx: VENDORS.telnyx.columns,
  openai: VENDORS.openai.columns,
};

/** Columns that stay on a phone-width screen. */
export const PHONE_COLUMNS: ReadonlySet<string> = new Set(["email", "status"]);

/** What Telnyx calls groups, OpenAI calls projects. */
export const GROUPS_LABEL: Record<ProviderId, string> = {
  telnyx: VENDORS.telnyx.groupsNoun,
  openai: VENDORS.openai.groupsNoun,
};

/** Column id -> label for one provider, for headings outside the table. */
export function columnLabels(provider: ProviderId): Record<string, string> {
  return Object.fromEntries(USER_COLUMNS[provider].map((c) => [c.id, c.label]));
}
