"use client";

import { formatExact, formatRelative, parseDate } from "@/lib/users/format-date";
import { useNow } from "@/lib/users/use-now";

import { EmptyValue } from "./truncated-text";

/**
 * "3 days ago", with the exact date in the tooltip. Inside a focused row
 * (`group` on the row) the exact date replaces the relative one, so keyboard
 * users get it too.
 */
export function RelativeTime({ iso, emptyLabel }: { iso: string | null; emptyLabel?: string }) {
  const now = useNow();
  const date = parseDate(iso);
  if (!date || iso === null) {
    return emptyLabel ? (
      <span className="text-zinc-500 dark:text-zinc-400">{emptyLabel}</span>
    ) : (
      <EmptyValue />
    );
  }
  const exact = formatExact(date);
  return (
    <time dateTime={iso} title={exact} className="block truncate">
      <span className="group-focus:hidden">{formatRelative(date, now)}</span>
      <span className="hidden text-xs group-focus:inline">{exact}</span>
    </time>
  );
}
