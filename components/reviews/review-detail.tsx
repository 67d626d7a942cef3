"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";

import { buttonClass } from "@/components/ui/button";
import { formatCount } from "@/lib/users/format-count";
import { navigateToSearch } from "@/lib/navigation/search";
import { isOverdue } from "@/lib/reviews/due";
import {
  DECISION_LABELS,
  DECISIONS,
  type Decision,
  type ReviewCounts,
  type ReviewItem,
  type ReviewSummary,
} from "@/lib/reviews/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";

import { EvidenceHashes } from "./evidence-hashes";
import { snapshotsText } from "./snapshots-text";
import { ReviewItemsTable } from "./review-items-table";
import { MoreRows, ROWS_PER_STEP, SelectMatching } from "./rows-shown";
import { useReview } from "./use-review";

/** Each filter, with the review's count (from the server) of the accounts it holds. */
const FILTERS = {
  all: { label: "All", test: () => true, count: "total" },
  undecided: {
    label: "Undecided",
    test: (i: ReviewItem) => i.decision === null,
    count: "undecided",
  },
  keep: { label: "Keep", test: (i: ReviewItem) => i.decision === "keep", count: "keep" },
  revoke: { label: "Revoke", test: (i: ReviewItem) => i.decision === "revoke", count: "revoke" },
  follow_up: {
    label: "Follow up",
    test: (i: ReviewItem) => i.decision === "follow_up",
    count: "follow_up",
  },
  flagged: { label: "Flagged", test: (i: ReviewItem) => i.flags.length > 0, count: "flagged" },
  changed: { label: "Changed", test: (i: ReviewItem) => i.change !== null, count: "changed" },
} as const satisfies Record<
  string,
  { label: string; test: (i: ReviewItem) => boolean; count: keyof ReviewCounts }
>;
type FilterId = keyof typeof FILTERS;

/** The filter a `show=` value names; anything else (absent, unknown) shows all. */
function filterFrom(value: string | null): FilterId {
  return value !== null && Object.hasOwn(FILTERS, value) ? (value as FilterId) : "all";
}

/**
 * One review: progress, filters, bulk and single decisions, closing and the
 * evidence package. `today` (UTC, from the server) marks an open review past
 * its due date.
 */
export function ReviewDetail({ initial, today }: { initial: ReviewSummary; today: string }) {
  const { review, items, loaded, error, loadError, reload, decide, close } = useReview(initial);
  // The filter lives in the URL (`?show=revoke`): a reload, a link, Back and Forward keep it.
  const filter = filterFrom(useSearchParams().get("show"));
  // Accounts decided one at a time stay in the view they were decided in (Undecided, Keep…) until
  // a filter is picked: the row, and the keyboard focus on its decision, do not vanish under the
  // admin. Kept per filter, so that Back and Forward show each view as it is.
  const [kept, setKept] = useState<{ filter: FilterId; ids: ReadonlySet<number> }>({
    filter,
    ids: new Set(),
  });
  const keptIds = kept.filter === filter ? kept.ids : null;
  const setFilter = (id: FilterId) => {
    setKept({ filter: id, ids: new Set() });
    const params = new URLSearchParams(window.location.search);
    if (id === "all") params.delete("show");
    else params.set("show", id);
    const query = params.toString();
    navigateToSearch(query ? `?${query}` : "");
  };
  const [selected, setSelected] = useState<Set<number>>(new Set());
  // A close or a bulk decision under way: pressing again (or another of them) does nothing until
  // it ends. A second close would fail; a second decision would enter the history twice. The
  // buttons stay enabled (aria-disabled), so that the focus stays on the one pressed.
  const [pending, setPending] = useState<"close" | Decision | null>(null);
  const busy = useRef(false);
  const once = async (what: "close" | Decision, run: () => Promise<void>) => {
    if (busy.current) return;
    busy.current = true;
    setPending(what);
    try {
      await run();
    } finally {
      busy.current = false;
      setPending(null);
    }
  };
  const [comment, setComment] = useState("");
  const shown = useMemo(
    () => items?.filter((item) => FILTERS[filter].test(item) || keptIds?.has(item.id)) ?? [],
    [items, filter, keptIds],
  );
  // How many of the filter's accounts the table renders (ROWS_PER_STEP more per "Show more");
  // another filter starts again from the first step.
  const [rendered, setRendered] = useState({ filter, count: ROWS_PER_STEP });
  const limit = rendered.filter === filter ? rendered.count : ROWS_PER_STEP;
  const visible = useMemo(() => shown.slice(0, limit), [shown, limit]);
  const visibleIds = useMemo(() => visible.map((item) => item.id), [visible]);
  const selectedShown = useMemo(
    () => shown.reduce((n, item) => n + (selected.has(item.id) ? 1 : 0), 0),
    [shown, selected],
  );
  // After "Show more", the focus goes to the first account it added (the button may be gone).
  const focusItem = useRef<number | null>(null);
  const table = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const id = focusItem.current;
    if (id === null) return;
    focusItem.current = null;
    table.current?.querySelector<HTMLElement>(`tr[data-item-id="${id}"] a`)?.focus();
  }, [visible]);
  const closed = review.state === "closed";
  const base = `/api/reviews/${review.id}`;
  const progress = useRef<HTMLParagraphElement>(null);
  const showGroup = useRef<HTMLDivElement>(null);

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-baseline gap-x-6 gap-y-2">
        <h1 className="text-xl font-semibold">{review.name}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {review.scope.providers.map((p) => PROVIDER_LABELS[p]).join(" and ")} · due{" "}
          {review.dueDate}
          {isOverdue(review, today) && (
            <span className="font-medium text-red-700 dark:text-red-400"> (overdue)</span>
          )}{" "}
          · started by {review.createdBy} · {snapshotsText(review.snapshots)}
        </p>
      </div>
      {/* Focus lands here once the review closes (the button that had it is gone) and after a
          bulk decision (the bulk buttons are disabled with nothing selected). */}
      <p
        ref={progress}
        tabIndex={-1}
        data-testid="review-progress"
        className="text-sm font-medium focus:outline-none"
      >
        {formatCount(review.counts.decided)} of {formatCount(review.counts.total)} decided
        {closed && ` · closed by ${review.closedBy}`}
      </p>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        {!closed && (
          <button
            type="button"
            aria-disabled={pending !== null || undefined}
            className={`${buttonClass.primary} aria-disabled:opacity-60`}
            onClick={() =>
              once("close", async () => {
                if (await close()) progress.current?.focus();
              })
            }
          >
            {pending === "close" ? "Closing…" : "Close review"}
          </button>
        )}
        {closed && (
          <>
            <a className={buttonClass.secondary} href={`${base}/evidence.csv`} download>
              Evidence CSV
            </a>
            <a className={buttonClass.secondary} href={`${base}/evidence.json`} download>
              Evidence manifest
            </a>
          </>
        )}
        <a className={buttonClass.secondary} href={`${base}/revoke.csv`} download>
          Revoke list
        </a>
      </div>
      {closed && <EvidenceHashes review={review} />}
      <div ref={showGroup} role="group" aria-label="Show" className="flex flex-wrap gap-1">
        {(Object.keys(FILTERS) as FilterId[]).map((id) => (
          <button
            key={id}
            type="button"
            aria-pressed={filter === id}
            onClick={() => setFilter(id)}
            className={`${buttonClass.ghost} aria-pressed:bg-zinc-200 dark:aria-pressed:bg-zinc-800`}
          >
            {FILTERS[id].label}{" "}
            <span className="text-zinc-600 tabular-nums dark:text-zinc-400">
              {formatCount(review.counts[FILTERS[id].count])}
            </span>
          </button>
        ))}
      </div>
      {!closed && (
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span>{formatCount(selected.size)} selected</span>
          <SelectMatching
            visible={visibleIds}
            matching={shown.length}
            selectedMatching={selectedShown}
            selected={selected}
            filterLabel={FILTERS[filter].label}
            onSelectMatching={() =>
              setSelected((current) => new Set([...current, ...shown.map((item) => item.id)]))
            }
            onClear={() => {
              setSelected(new Set());
              // The line goes with the selection: the focus goes to the box that selects again.
              table.current?.querySelector<HTMLElement>("thead input[type=checkbox]")?.focus();
            }}
          />
          <input
            aria-label="Comment for the selected accounts"
            placeholder="Comment (optional)"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={2000}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
          />
          {DECISIONS.map((d) => (
            <button
              key={d}
              type="button"
              disabled={selected.size === 0}
              aria-disabled={pending !== null || undefined}
              className={`${buttonClass.secondary} aria-disabled:opacity-60`}
              onClick={() =>
                once(d, async () => {
                  if (await decide([...selected], d, comment.trim() || undefined)) {
                    setSelected(new Set());
                    setComment("");
                    // With nothing selected these buttons are disabled, the pressed one too: the
                    // focus goes to the progress it changed instead of falling to the page.
                    progress.current?.focus();
                  }
                })
              }
            >
              {pending === d ? "Deciding…" : `${DECISION_LABELS[d]} selected`}
            </button>
          ))}
        </div>
      )}
      {items === null && loadError ? (
        <div role="alert" className="flex flex-wrap items-center gap-3 text-sm">
          <span className="text-red-700 dark:text-red-400">
            The accounts could not be loaded: {loadError}
          </span>
          <button type="button" className={buttonClass.secondary} onClick={reload}>
            Try again
          </button>
        </div>
      ) : items === null ? (
        <p role="status" className="text-sm">
          Loading accounts…
          {loaded > 0 &&
            ` ${formatCount(loaded)} of ${formatCount(Math.max(loaded, review.counts.total))}`}
        </p>
      ) : (
        <div ref={table} className="flex flex-col gap-3">
          <ReviewItemsTable
            items={visible}
            selected={selected}
            readOnly={closed}
            onSelect={(ids, on) =>
              setSelected((current) => {
                const next = new Set(current);
                for (const id of ids) {
                  if (on) next.add(id);
                  else next.delete(id);
                }
                return next;
              })
            }
            onDecide={(item, decision) => {
              setKept({ filter, ids: new Set([...(keptIds ?? []), item.id]) });
              void decide([item.id], decision);
            }}
          />
          <MoreRows
            visible={visible.length}
            matching={shown.length}
            onMore={() => {
              focusItem.current = shown[limit]?.id ?? null;
              setRendered({ filter, count: limit + ROWS_PER_STEP });
            }}
          />
        </div>
      )}
      {items !== null && shown.length === 0 && (
        <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
          {items.length === 0 ? (
            "No account fell in this review's scope: there is nothing to decide."
          ) : (
            <>
              No accounts match “{FILTERS[filter].label}”.{" "}
              <button
                type="button"
                className="text-indigo-700 underline dark:text-indigo-400"
                onClick={() => {
                  setFilter("all");
                  // This button goes with the message: the focus goes to "All", now pressed.
                  showGroup.current?.querySelector<HTMLElement>("button")?.focus();
                }}
              >
                Show all
              </button>
            </>
          )}
        </p>
      )}
    </div>
  );
}
