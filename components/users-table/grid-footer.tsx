import { buttonClass } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

export type GridFooterState =
  | { kind: "loading" }
  | { kind: "failed"; message: string; onRetry: () => void }
  | { kind: "changed"; onReload: () => void }
  | { kind: "end" };

/**
 * Below the last row: "Loading more…" while the next page is on its way, an
 * inline retry when it failed (the rows already loaded stay), a reload when
 * users were added or removed meanwhile (going on could skip or repeat rows),
 * "End of list" when nothing follows.
 */
export function GridFooter({ state }: { state: GridFooterState }) {
  if (state.kind === "changed") {
    return (
      <div
        role="alert"
        className="flex flex-wrap items-center justify-center gap-3 border-t border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-100"
      >
        <span>The list changed while you scrolled: users were added or removed.</span>
        <button type="button" className={buttonClass.secondary} onClick={state.onReload}>
          Reload the list
        </button>
      </div>
    );
  }
  if (state.kind === "failed") {
    return (
      <div
        role="alert"
        className="flex flex-wrap items-center justify-center gap-3 border-t border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
      >
        <span>Couldn’t load more users: {state.message}</span>
        <button type="button" className={buttonClass.secondary} onClick={state.onRetry}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <div
      role="status"
      data-testid="list-footer"
      className="flex items-center justify-center gap-2 px-4 py-4 text-sm text-zinc-500 dark:text-zinc-400"
    >
      {state.kind === "loading" ? (
        <>
          <Spinner />
          Loading more…
        </>
      ) : (
        <span>End of list</span>
      )}
    </div>
  );
}
