"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

import { CsvDownloadButton } from "@/components/export/csv-download-button";
import { personHref } from "@/components/people/people-api";
import { buttonClass } from "@/components/ui/button";
import { formatCount } from "@/lib/users/format-count";
import { changesFilename } from "@/lib/export/filename";
import { personKeyOf } from "@/lib/people/contract";
import {
  changesPageSchema,
  type Change,
  type ChangeKind,
  TRACKED_FIELDS,
  type TrackedField,
} from "@/lib/directory/schema";
import type { ProviderId } from "@/lib/users/schema";
import { PROVIDER_IDS, PROVIDER_LABELS } from "@/lib/users/contract";
import { formatUtc } from "@/lib/users/format-date";
import { parseCalendarDate } from "@/lib/api/dates";

import { Choice, CONTROL_CLASS } from "./choice";
import { fetchParsed } from "./fetch-parsed";
import { shownValue } from "./shown-value";
import { SnapshotChoice } from "./snapshot-choice";
import { useChangesView, type Since } from "./use-changes-view";

const DAY_MS = 24 * 3600 * 1000;

/**
 * The `from` parameter for a choice: none (the snapshot before the current
 * one), a time before `chosenAt` (when the admin picked "yesterday" or "a week
 * ago": fixed then, so the query's key stays put between renders), the
 * start of a date (UTC), or a snapshot's id. `invalid` when the date is not
 * one the API takes.
 */
function fromParam(
  since: Since,
  date: string,
  snapshot: string,
  chosenAt: number,
): string | null | "invalid" {
  if (since === "snapshot") return snapshot || null;
  if (since === "day") return new Date(chosenAt - DAY_MS).toISOString();
  if (since === "week") return new Date(chosenAt - 7 * DAY_MS).toISOString();
  if (since === "date") {
    if (!date) return null;
    return parseCalendarDate(date)?.toISOString() ?? "invalid";
  }
  return null;
}

/** The tracked fields as the Field choice names them. */
const FIELD_LABELS: Record<TrackedField, string> = {
  email: "email",
  name: "name",
  status: "status",
  role: "role",
  groups: "groups or projects",
  ssoBypass: "SSO bypass",
  serviceAccount: "service account",
  scimManaged: "SCIM-managed",
};

/** "changes", or with a filter "removed users" or "users whose role changed": what the range line counts. */
function countNoun(change: ChangeKind | "all", field: TrackedField | "any", count: number): string {
  const users = count === 1 ? "user" : "users";
  if (change === "changed" && field !== "any") {
    return `${users} whose ${FIELD_LABELS[field]} changed`;
  }
  if (change === "all") return count === 1 ? "change" : "changes";
  return `${change} ${users}`;
}

function ChangeRow({ change, provider }: { change: Change; provider: ProviderId }) {
  return (
    <li className="border-b border-zinc-200 py-2 dark:border-zinc-800" data-change={change.change}>
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="w-20 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          {change.change}
        </span>
        {/* The person's page: every account, flags and the whole history, removed ones too. */}
        <Link
          href={personHref(personKeyOf({ provider, id: change.id, email: change.email }))}
          className="min-w-0 font-medium text-indigo-700 wrap-anywhere underline-offset-2 hover:underline dark:text-indigo-300"
        >
          {change.email ?? change.name ?? change.id}
        </Link>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">{change.id}</span>
      </div>
      {change.fields.length > 0 && (
        <ul className="mt-1 ml-22 text-sm text-zinc-700 wrap-anywhere dark:text-zinc-300">
          {change.fields.map((f) => (
            <li key={f.field}>
              {FIELD_LABELS[f.field]}: {shownValue(f.old)} → {shownValue(f.new)}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** Added, removed and changed users of one vendor since a chosen point, with a CSV export. */
export function ChangesView() {
  const { view, setView } = useChangesView();
  const { provider, since, change, field } = view;
  // The date input keeps its own text (a controlled input must update at once); the URL follows.
  const [date, setDate] = useState(view.date);
  // "Yesterday" and "a week ago" count back from when they were chosen (or the page opened).
  const [chosenAt, setChosenAt] = useState(() => Date.now());
  const param = fromParam(since, date, view.snapshot, chosenAt);
  const badDate = param === "invalid";
  const from = badDate ? null : param;
  const ready = !badDate && !(since === "date" && !date) && !(since === "snapshot" && !from);
  const base = new URLSearchParams({ provider });
  // The filters as the API takes them: a field only narrows changed users.
  const only = {
    change: change === "all" ? undefined : change,
    field: change === "changed" && field !== "any" ? field : undefined,
  };
  if (from) base.set("from", from);
  if (only.change) base.set("change", only.change);
  if (only.field) base.set("field", only.field);

  const query = useInfiniteQuery({
    queryKey: ["changes", provider, since, from, change, field],
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams(base);
      params.set("limit", "200");
      if (pageParam) params.set("cursor", pageParam);
      return fetchParsed(`/api/directory/changes?${params}`, changesPageSchema, signal);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    retry: false,
    // Until a date is picked, or while the picked one cannot be asked for, nothing is asked.
    enabled: ready,
  });
  const changes = query.data?.pages.flatMap((page) => page.data) ?? [];
  const first = query.data?.pages[0];

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-4">
        <Choice
          label="Vendor"
          value={provider}
          // Another vendor's snapshots are others: a chosen one does not carry over.
          onChange={(value) => setView({ provider: value as ProviderId, snapshot: "" })}
        >
          {PROVIDER_IDS.map((id) => (
            <option key={id} value={id}>
              {PROVIDER_LABELS[id]}
            </option>
          ))}
        </Choice>
        <Choice
          label="Since"
          value={since}
          onChange={(value) => {
            // The date on screen goes back into the address with "a date…" (ignored otherwise).
            setView({ since: value as Since, date });
            setChosenAt(Date.now());
          }}
        >
          <option value="last">the previous sync</option>
          <option value="day">yesterday</option>
          <option value="week">a week ago</option>
          <option value="date">a date…</option>
          <option value="snapshot">a snapshot…</option>
        </Choice>
        {since === "snapshot" && (
          <SnapshotChoice
            provider={provider}
            value={view.snapshot}
            onChange={(snapshot) => setView({ snapshot })}
          />
        )}
        {since === "date" && (
          <label className="flex flex-col text-sm">
            Date (UTC)
            <input
              type="date"
              value={date}
              onChange={(e) => {
                setDate(e.target.value);
                setView({ date: e.target.value });
              }}
              min="0001-01-01"
              max="9999-12-31"
              aria-invalid={badDate || undefined}
              aria-describedby={badDate ? "changes-date-error" : undefined}
              className={CONTROL_CLASS}
            />
          </label>
        )}
        <Choice
          label="Show"
          value={change}
          onChange={(value) => setView({ change: value as ChangeKind | "all" })}
        >
          <option value="all">all changes</option>
          <option value="added">added users</option>
          <option value="removed">removed users</option>
          <option value="changed">changed users</option>
        </Choice>
        {change === "changed" && (
          <Choice
            label="Field"
            value={field}
            onChange={(value) => setView({ field: value as TrackedField | "any" })}
          >
            <option value="any">any field</option>
            {TRACKED_FIELDS.map((name) => (
              <option key={name} value={name}>
                {FIELD_LABELS[name]}
              </option>
            ))}
          </Choice>
        )}
        {/* Without a range to ask for, there is nothing to export: another range would be. */}
        <CsvDownloadButton
          download={
            ready
              ? {
                  url: `/api/directory/changes/export?${base}`,
                  filename: changesFilename({ provider, ...only }),
                  subject: "The directory",
                }
              : null
          }
        />
      </div>
      {ready && first && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="changes-range">
          From{" "}
          {first.from
            ? `snapshot ${first.from.snapshotId} (${formatUtc(first.from.finishedAt)})`
            : "the start"}{" "}
          to snapshot {first.to.snapshotId} ({formatUtc(first.to.finishedAt)}):{" "}
          {formatCount(changes.length)}
          {query.hasNextPage ? "+" : ""} {countNoun(change, field, changes.length)}
        </p>
      )}
      {badDate && (
        <p id="changes-date-error" role="alert" className="text-red-700 dark:text-red-400">
          “{date}” is not a date that can be asked for: pick one from 0001-01-01 to 9999-12-31.
        </p>
      )}
      {since === "date" && !date && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Pick a date to list what changed since it.
        </p>
      )}
      {since === "snapshot" && !from && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Pick a snapshot to list what changed since it.
        </p>
      )}
      {query.isError && (
        <p role="alert" className="text-red-700 dark:text-red-400">
          {query.error.message}
        </p>
      )}
      {query.isPending && query.isFetching && <p>Loading changes…</p>}
      <ul aria-label="Changes">
        {changes.map((change) => (
          <ChangeRow key={`${change.change}:${change.id}`} change={change} provider={provider} />
        ))}
      </ul>
      {query.hasNextPage && (
        // Not disabled while the page loads: a disabled button drops the keyboard focus to the page.
        <button
          type="button"
          className={`${buttonClass.secondary} aria-disabled:opacity-60`}
          aria-disabled={query.isFetchingNextPage || undefined}
          onClick={() => {
            if (!query.isFetchingNextPage) void query.fetchNextPage();
          }}
        >
          Load more
        </button>
      )}
    </div>
  );
}
