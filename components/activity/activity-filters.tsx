"use client";

import type { Ref } from "react";

import { ACTIVITY_KINDS } from "@/lib/activity/contract";

import type { ActivityFilters } from "./use-activity";

const input =
  "h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/** Admin, kind and date range. Dates are UTC days; "To" includes its whole day. */
export function ActivityFiltersBar({
  filters,
  onChange,
  kindRef,
}: {
  filters: ActivityFilters;
  onChange: (filters: ActivityFilters) => void;
  kindRef?: Ref<HTMLSelectElement>;
}) {
  const set = (key: keyof ActivityFilters, value: string) => {
    const next = { ...filters };
    if (value.trim()) next[key] = value.trim();
    else delete next[key];
    onChange(next);
  };
  return (
    <div className="flex flex-wrap items-end gap-3 text-sm">
      <label className="grid gap-1">
        Admin
        <input
          // Typed freely, applied on Enter or leaving; a new value from the URL (Back) starts it over.
          key={filters.admin ?? ""}
          type="search"
          defaultValue={filters.admin ?? ""}
          placeholder="ana@example.com"
          onKeyDown={(e) => e.key === "Enter" && set("admin", e.currentTarget.value)}
          onBlur={(e) => set("admin", e.currentTarget.value)}
          className={input}
        />
      </label>
      <label className="grid gap-1">
        Kind
        <select
          ref={kindRef}
          value={filters.kind ?? ""}
          onChange={(e) => set("kind", e.target.value)}
          className={input}
        >
          <option value="">All kinds</option>
          {ACTIVITY_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      </label>
      <label className="grid gap-1">
        From
        <input
          type="date"
          value={filters.from ?? ""}
          onChange={(e) => set("from", e.target.value)}
          className={input}
        />
      </label>
      <label className="grid gap-1">
        To
        <input
          type="date"
          value={filters.to ?? ""}
          onChange={(e) => set("to", e.target.value)}
          className={input}
        />
      </label>
    </div>
  );
}
