import "server-only";

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

/**
 * The one hook point for a finished check (not for a cancelled one). Until the
 * activity log exists it writes one JSON line to the server log; wiring the
 * activity log means changing this function only.
 */
export function onCheckCompleted(summary: CheckCompleted): void {
  console.info(JSON.stringify({ event: "roster.offboarding_check", ...summary }));
}
