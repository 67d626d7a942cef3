import { useEffect, useRef } from "react";

import { formatCount } from "@/lib/users/format-count";
import { buttonClass } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

import type { Progress } from "./use-offboarding-check";

/**
 * True when the keyboard focus is nowhere: on the page's body, or on a button
 * that was just disabled or removed (the one that started or stopped a check).
 */
export function focusIsLost(): boolean {
  const active = document.activeElement;
  return (
    active === null ||
    active === document.body ||
    (active instanceof HTMLButtonElement && active.disabled)
  );
}

/** Addresses checked of the total, live, with the way to stop. */
export function CheckProgress({
  progress,
  onCancel,
}: {
  progress: Progress;
  onCancel: () => void;
}) {
  const { checked, total } = progress;
  const cancelButton = useRef<HTMLButtonElement>(null);
  // The button that started the check is disabled while it runs: the focus goes to Cancel.
  useEffect(() => {
    if (focusIsLost()) cancelButton.current?.focus();
  }, []);
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
      <button ref={cancelButton} type="button" className={buttonClass.secondary} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
