import { formatCount } from "@/components/ui/format-count";
import { buttonClass } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

import type { Progress } from "./use-offboarding-check";

/** Addresses checked of the total, live, with the way to stop. */
export function CheckProgress({
  progress,
  onCancel,
}: {
  progress: Progress;
  onCancel: () => void;
}) {
  const { checked, total } = progress;
  const label = progress.kind === "retry" ? "Retrying" : "Checking";
  return (
    <div role="status" className="flex flex-wrap items-center gap-3 text-sm">
      <Spinner />
      <span>
        {total === null
          ? `${label}…`
          : `${label}: ${formatCount(checked)} of ${formatCount(total)} addresses checked`}
      </span>
      <progress
        aria-label="Addresses checked"
        max={total ?? undefined}
        value={total === null ? undefined : checked}
        className="h-2 w-48"
      />
      <button type="button" className={buttonClass.secondary} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
