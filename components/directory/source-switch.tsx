"use client";

import { useRef, type KeyboardEvent } from "react";

import { focusRing } from "@/components/ui/button";
import { formatExact, formatRelative, parseDate } from "@/lib/users/format-date";
import type { UsersSource } from "@/lib/users/schema";
import { useNow } from "@/lib/users/use-now";

const OPTIONS: { value: UsersSource; label: string; hint: string }[] = [
  { value: "vendor", label: "Live", hint: "Read from the vendor now" },
  { value: "directory", label: "Directory", hint: "Read from the latest synced snapshot" },
];

/** Live or Directory, and for the directory how old its snapshot is. */
export function SourceSwitch({
  value,
  onChange,
  asOf,
  note = null,
}: {
  value: UsersSource;
  onChange: (source: UsersSource) => void;
  asOf: string | null;
  /** Why Roster chose this source itself, shown beside it. */
  note?: string | null;
}) {
  const now = useNow();
  const date = parseDate(asOf);
  const groupRef = useRef<HTMLDivElement>(null);

  // A radio group is one tab stop; the arrow keys move to the other choice and pick it.
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const index = OPTIONS.findIndex((option) => option.value === value);
    const next = OPTIONS[(index + step + OPTIONS.length) % OPTIONS.length]!;
    onChange(next.value);
    groupRef.current?.querySelector<HTMLElement>(`[data-value="${next.value}"]`)?.focus();
  }

  return (
    <div className="flex items-center gap-2">
      <div
        ref={groupRef}
        role="radiogroup"
        aria-label="Source"
        onKeyDown={onKeyDown}
        className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700"
      >
        {OPTIONS.map((option) => (
          <button
            key={option.value}
            type="button"
            role="radio"
            aria-checked={value === option.value}
            tabIndex={value === option.value ? 0 : -1}
            data-value={option.value}
            title={option.hint}
            onClick={() => onChange(option.value)}
            className={`rounded px-2.5 py-1 text-sm font-medium ${focusRing} ${
              value === option.value
                ? "bg-indigo-600 text-white"
                : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
            }`}
          >
            {option.label}
          </button>
        ))}
      </div>
      {value === "directory" && date && asOf && (
        <span data-testid="as-of" className="text-sm text-zinc-600 dark:text-zinc-400">
          as of{" "}
          <time dateTime={asOf} title={formatExact(date)}>
            {formatRelative(date, now)}
          </time>
        </span>
      )}
      {note && (
        <span data-testid="source-note" className="text-sm text-zinc-600 dark:text-zinc-400">
          {note}
        </span>
      )}
    </div>
  );
}
