import "server-only";

import { noteActivity } from "@/lib/activity/record";

/**
 * What one finished check leaves behind: who ran it, when, how many addresses
 * and how many still had access. Never the addresses themselves.
 */
export interface CheckCompleted {
  admin: string;
  /** ISO 8601 UTC, the check's `checkedAt`. */
  at: string;
  addresses: number;
  stillWithAccess: number;
  notChecked: number;
  durationMs: number;
}

/** The one hook point for a finished check (not for a cancelled one): an activity log entry. */
export async function onCheckCompleted(summary: CheckCompleted): Promise<void> {
  await noteActivity({
    kind: "offboarding.check",
    admin: summary.admin,
    details: {
      addresses: summary.addresses,
      stillWithAccess: summary.stillWithAccess,
      notChecked: summary.notChecked,
      durationMs: Math.max(0, Math.round(summary.durationMs)),
    },
  });
}
