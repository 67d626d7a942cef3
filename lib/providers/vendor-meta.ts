import type { UserColumn } from "@/lib/users/column-kinds";
import type { ProviderId } from "@/lib/users/schema";

/**
 * What Roster knows about a vendor that the browser may know too: names,
 * where its configuration lives, and its columns. Each vendor's sits in
 * lib/providers/<vendor>/meta.ts; lib/providers/meta.ts lists them.
 */
export interface VendorMeta {
  id: ProviderId;
  label: string;
  /** The env variable holding the key: named in help and errors, never its value. */
  keyVar: string;
  /** What kind of key, for the "not configured" help. */
  keyHelp: string;
  /** The env variable overriding the API's base URL, and its default. */
  baseUrlVar: string;
  defaultUrl: string;
  /** What the vendor calls a user's groups: Telnyx groups, OpenAI projects. */
  groupsNoun: string;
  /** The dashboard's and the export's columns, in display order. */
  columns: readonly UserColumn[];
}
