"use client";

import Link from "next/link";
import type { KeyboardEvent } from "react";

import { personHref } from "@/components/people/people-api";
import { personKeyOf } from "@/lib/people/contract";
import {
  DECISION_LABELS,
  DECISIONS,
  FLAG_LABELS,
  type Decision,
  type ReviewItem,
} from "@/lib/reviews/schema";
import { StatusBadge } from "@/components/ui/status-badge";
import { roleLabel } from "@/lib/users/column-kinds";
import { isUserStatus, PROVIDER_LABELS } from "@/lib/users/contract";
import { formatUtc } from "@/lib/users/format-date";

const cell = "py-1.5 pr-3 align-top";

/** The accounts under review: select for bulk decisions, or decide one row at a time. */
/**
 * Keys that step a closed select through its options, firing a change at each
 * (Chromium on Linux, Firefox, Windows): each would record a decision and an
 * activity entry in turn. The list opens with Space, Enter or Alt+Down, where
 * the arrows move and only the choice made is recorded.
 */
const STEPPING_KEYS = new Set(["ArrowDown", "ArrowUp", "Home", "End", "PageDown", "PageUp"]);

function keepClosedSelectStill(event: KeyboardEvent<HTMLSelectElement>): void {
  if (STEPPING_KEYS.has(event.key) && !event.altKey) event.preventDefault();
}

export function ReviewItemsTable({
  items,
  selected,
  onSelect,
  onDecide,
  readOnly,
}: {
  items: ReviewItem[];
  selected: ReadonlySet<number>;
  onSelect: (ids: number[], on: boolean) => void;
  onDecide: (item: ReviewItem, decision: Decision) => void;
  readOnly: boolean;
}) {
  const allOn = items.length > 0 && items.every((item) => selected.has(item.id));
  return (
    // On a phone the table scrolls on its own; the page stays the screen's width.
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Accounts under review</caption>
        <thead className="border-b border-zinc-200 text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            {!readOnly && (
              <th className={cell}>
                <input
                  type="checkbox"
                  aria-label="Select all shown"
                  checked={allOn}
                  onChange={(e) =>
                    onSelect(
                      items.map((item) => item.id),
                      e.target.checked,
                    )
                  }
                />
              </th>
            )}
            <th className={`${cell} font-medium`}>Account</th>
            <th className={`${cell} font-medium`}>Vendor</th>
            <th className={`${cell} font-medium`}>Role</th>
            <th className={`${cell} font-medium`}>Status</th>
            <th className={`${cell} font-medium`}>Flags</th>
            <th className={`${cell} font-medium`}>Decision</th>
            <th className={`${cell} font-medium`}>Decided by</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const label = item.email ?? item.name ?? item.userId;
            return (
              <tr
                key={item.id}
                data-item-id={item.id}
                className="border-b border-zinc-100 dark:border-zinc-900"
              >
                {!readOnly && (
                  <td className={cell}>
                    <input
                      type="checkbox"
                      aria-label={`Select ${label}`}
                      checked={selected.has(item.id)}
                      onChange={(e) => onSelect([item.id], e.target.checked)}
                    />
                  </td>
                )}
                <td className={cell}>
                  <Link
                    href={personHref(
                      personKeyOf({ provider: item.provider, id: item.userId, email: item.email }),
                    )}
                    className="block font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
                  >
                    {label}
                  </Link>
                  {item.name && item.email && (
                    <span className="block text-zinc-500 dark:text-zinc-400">{item.name}</span>
                  )}
                  {item.change && (
                    <span className="mt-0.5 inline-block rounded bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
                      {item.change === "new"
                        ? "New since last review"
                        : "Changed since last review"}
                    </span>
                  )}
                </td>
                <td className={cell}>{PROVIDER_LABELS[item.provider]}</td>
                <td className={cell}>{roleLabel(item.role) ?? "—"}</td>
                <td className={cell}>
                  {isUserStatus(item.status) ? <StatusBadge status={item.status} /> : item.status}
                </td>
                <td className={cell}>{item.flags.map((f) => FLAG_LABELS[f]).join(", ") || "—"}</td>
                <td className={cell}>
                  {readOnly ? (
                    item.decision ? (
                      DECISION_LABELS[item.decision]
                    ) : (
                      "—"
                    )
                  ) : (
                    <select
                      aria-label={`Decision for ${label}`}
                      value={item.decision ?? ""}
                      onChange={(e) => e.target.value && onDecide(item, e.target.value as Decision)}
                      onKeyDown={keepClosedSelectStill}
                      className="rounded-md border border-zinc-300 bg-white px-1.5 py-1 dark:border-zinc-700 dark:bg-zinc-900"
                    >
                      <option value="">Undecided</option>
                      {DECISIONS.map((d) => (
                        <option key={d} value={d}>
                          {DECISION_LABELS[d]}
                        </option>
                      ))}
                    </select>
                  )}
                  {item.comment && (
                    <span className="mt-0.5 block text-xs text-zinc-500 dark:text-zinc-400">
                      {item.comment}
                    </span>
                  )}
                </td>
                <td className={cell}>
                  {item.decidedBy ? (
                    <>
                      <span className="block">{item.decidedBy}</span>
                      {item.decidedAt && (
                        <time
                          dateTime={item.decidedAt}
                          className="block text-xs text-zinc-500 dark:text-zinc-400"
                        >
                          {formatUtc(item.decidedAt, "second")}
                        </time>
                      )}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
