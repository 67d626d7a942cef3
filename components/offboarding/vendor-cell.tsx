import { StatusBadge } from "@/components/ui/status-badge";
import type { CellState } from "@/lib/offboarding/results";
import type { Account } from "@/lib/offboarding/schema";
import { roleLabel } from "@/lib/users/column-kinds";
import { lastUsedText } from "@/lib/users/format-date";

const MUTED: Partial<Record<CellState, string>> = {
  not_found: "Not found",
  not_checked: "Not checked",
  not_configured: "Not configured",
};

/** One vendor's answer for one address; a failed lookup reads "Not checked", never "Not found". */
export function VendorCell({ state, account }: { state: CellState; account: Account | null }) {
  const muted = MUTED[state];
  if (muted || !account) {
    return (
      <span
        className={
          state === "not_checked"
            ? "font-medium text-amber-700 dark:text-amber-400"
            : "text-zinc-500 dark:text-zinc-400"
        }
      >
        {muted ?? "Not found"}
      </span>
    );
  }
  return (
    <div className="flex flex-col gap-0.5">
      <span className="flex items-center gap-2">
        <StatusBadge status={account.status} />
        {account.role ? (
          <span className="text-xs text-zinc-600 dark:text-zinc-400">
            {roleLabel(account.role)}
          </span>
        ) : null}
      </span>
      <span className="text-xs text-zinc-600 dark:text-zinc-400">
        {lastUsedText(account.lastActiveAt)}
      </span>
    </div>
  );
}
