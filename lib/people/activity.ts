import "server-only";

export type RosterActivity =
  | { type: "roster.uploaded"; admin: string; uploadId: number; rows: number; at: string }
  | { type: "roster.removed"; admin: string; uploadId: number; at: string };

/**
 * The one place roster changes are reported to the activity log. The log does
 * not exist yet: wire it here and every roster route records its events.
 */
export async function recordRosterActivity(event: RosterActivity): Promise<void> {
  void event;
}
