"use client";

import { useId } from "react";

import { ChevronDownIcon } from "@/components/ui/icons/chevron-down";
import { isUserStatus } from "@/lib/users/contract";
import type { UserStatus } from "@/lib/users/schema";

const OPTIONS: Array<{ value: UserStatus | ""; label: string }> = [
  { value: "", label: "All" },
  { value: "enabled", label: "Enabled" },
  { value: "disabled", label: "Disabled" },
  { value: "blocked", label: "Blocked" },
];

/** The status filter: a native select, so keyboard and screen-reader behaviour come for free. */
export function StatusSelect({
  value,
  onChange,
  describedBy,
}: {
  value: UserStatus | undefined;
  onChange: (status: UserStatus | undefined) => void;
  describedBy?: string;
}) {
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="text-sm font-medium text-zinc-700 dark:text-zinc-300">
        Status
      </label>
      <div className="relative">
        <select
          id={id}
          value={value ?? ""}
          aria-describedby={describedBy}
          onChange={(event) => {
            const status = event.target.value;
            onChange(isUserStatus(status) ? status : undefined);
          }}
          className="appearance-none rounded-md border border-zinc-300 bg-white py-1.5 pr-8 pl-3 text-sm text-zinc-900 shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        >
          {OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <ChevronDownIcon className="pointer-events-none absolute top-1/2 right-2 size-4 -translate-y-1/2 text-zinc-500 dark:text-zinc-400" />
      </div>
    </div>
  );
}
