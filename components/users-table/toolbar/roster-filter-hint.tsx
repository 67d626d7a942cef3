import type { ProviderId } from "@/lib/users/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";

/**
 * Beside a filter the vendor can't apply: Roster reads the vendor's pages and
 * filters them itself, which is slower on a large account.
 */
export function RosterFilterHint({ id, provider }: { id: string; provider: ProviderId }) {
  return (
    <span
      id={id}
      title={`${PROVIDER_LABELS[provider]} can't apply this filter, so Roster reads every page and filters it itself; results can take longer to arrive.`}
      className="inline-flex items-center rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-amber-900 ring-1 ring-amber-600/25 ring-inset dark:bg-amber-400/10 dark:text-amber-200 dark:ring-amber-400/25"
    >
      filtered by Roster
    </span>
  );
}
