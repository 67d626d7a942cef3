import type { VerifyResult } from "@/lib/activity/schema";
import { formatCount } from "@/lib/users/format-count";

/** The chain check's outcome in one sentence, as the Activity page shows it. */
export function verifySummary(result: VerifyResult): string {
  if (!result.ok) {
    return result.firstBroken
      ? `Chain broken at entry #${result.firstBroken.seq}: ${result.firstBroken.message}`
      : "The chain did not verify.";
  }
  if (result.checked === 0) return "Chain verified: no entries to check.";
  const entries = `${formatCount(result.checked)} ${result.checked === 1 ? "entry" : "entries"}`;
  return `Chain verified: ${entries} intact (from #${result.anchor.seq + 1} to #${result.head.seq}).`;
}
