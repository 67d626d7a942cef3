import type { ReviewSnapshotInfo } from "@/lib/reviews/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";
import { formatUtc } from "@/lib/users/format-date";

/** Which snapshot of each vendor a review reads, each named with its vendor: "Telnyx snapshot #3 (…)". */
export function snapshotsText(
  snapshots: readonly Pick<ReviewSnapshotInfo, "provider" | "snapshotId" | "finishedAt">[],
): string {
  return snapshots
    .map(
      (s) =>
        `${PROVIDER_LABELS[s.provider]} snapshot #${s.snapshotId} (${s.finishedAt ? formatUtc(s.finishedAt) : "time unknown"})`,
    )
    .join(", ");
}
