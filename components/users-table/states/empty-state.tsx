import { buttonClass } from "@/components/ui/button";
import { SearchIcon } from "@/components/ui/icons/search";

/** The list came back empty for these filters. */
export function EmptyState({ onClearFilters }: { onClearFilters: (() => void) | null }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 px-6 py-16 text-center">
      <span className="rounded-full bg-zinc-100 p-3 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400">
        <SearchIcon className="size-6" />
      </span>
      <h2 className="text-base font-semibold text-zinc-900 dark:text-zinc-100">
        No users match these filters
      </h2>
      {onClearFilters ? (
        <>
          <p className="max-w-sm text-sm text-zinc-600 dark:text-zinc-400">
            Try another email or status.
          </p>
          <button type="button" className={buttonClass.secondary} onClick={onClearFilters}>
            Clear filters
          </button>
        </>
      ) : (
        <p className="max-w-sm text-sm text-zinc-600 dark:text-zinc-400">
          This account has no users yet.
        </p>
      )}
    </div>
  );
}
