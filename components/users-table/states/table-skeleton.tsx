const ROWS = 12;
const WIDTHS = ["w-3/4", "w-1/2", "w-2/3", "w-5/6", "w-2/5"];

/** First load: grey bars where the rows will be (classes only: nothing here needs inline styles). */
export function TableSkeleton() {
  return (
    <div role="status" aria-live="polite" className="min-h-0 flex-1 overflow-hidden">
      <span className="sr-only">Loading users…</span>
      <div aria-hidden="true">
        <div className="h-10 border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900" />
        {Array.from({ length: ROWS }, (_, row) => (
          <div
            key={row}
            className="grid h-11 grid-cols-[2fr_1fr] items-center gap-6 border-b border-zinc-100 px-3 sm:grid-cols-[2.5fr_1fr_1fr_1fr_1.5fr] dark:border-zinc-800/70"
          >
            {Array.from({ length: 5 }, (_, cell) => (
              <div
                key={cell}
                className={`h-3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800 ${WIDTHS[(row + cell) % WIDTHS.length]} ${cell > 1 ? "max-sm:hidden" : ""}`}
              />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
