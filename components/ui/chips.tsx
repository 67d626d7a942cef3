import type { Group } from "@/lib/users/schema";

import { EmptyValue } from "./truncated-text";

/**
 * Groups or projects as chips. In a table cell they stay on one line (the
 * rest counted, every name in the tooltip); elsewhere they can all wrap.
 */
export function Chips({
  items,
  noun,
  max = 3,
}: {
  items: Group[] | null;
  noun: string;
  max?: number;
}) {
  if (items === null) return <EmptyValue />;
  if (items.length === 0)
    return <span className="text-zinc-500 dark:text-zinc-400">No {noun}</span>;
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  return (
    <span
      className={`flex min-w-0 items-center gap-1 ${Number.isFinite(max) ? "overflow-hidden" : "flex-wrap"}`}
      title={items.map((g) => g.name).join(", ")}
    >
      {shown.map((item) => (
        <span
          key={item.id}
          className="max-w-40 shrink truncate rounded-md bg-indigo-50 px-1.5 py-0.5 text-xs font-medium text-indigo-800 ring-1 ring-indigo-600/20 ring-inset dark:bg-indigo-400/10 dark:text-indigo-200 dark:ring-indigo-400/25"
        >
          {item.name}
        </span>
      ))}
      {rest > 0 && (
        <span className="shrink-0 text-xs text-zinc-600 dark:text-zinc-400">+{rest}</span>
      )}
    </span>
  );
}
