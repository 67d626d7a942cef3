import { formatCount } from "@/lib/users/format-count";

/** "Showing 150 of 5,312 users" when the total is known, "150 users loaded" when not. */
export function countText(loaded: number, total: number | null): string {
  if (total !== null)
    return `Showing ${formatCount(loaded)} of ${formatCount(total)} ${total === 1 ? "user" : "users"}`;
  return `${formatCount(loaded)} ${loaded === 1 ? "user" : "users"} loaded`;
}

/** `loaded` is null before the first page: "Loading users…" while it comes, nothing if it failed. */
export function CountText({
  loaded,
  total,
  loading,
}: {
  loaded: number | null;
  total: number | null;
  loading: boolean;
}) {
  if (loaded === null && !loading) return null;
  return (
    <p
      // A live region: a screen reader hears what a filter found (or that nothing matched).
      role="status"
      data-testid="users-count"
      className="text-sm whitespace-nowrap text-zinc-600 tabular-nums dark:text-zinc-400"
    >
      {/* The table's skeleton, a live region too, says it to a screen reader: once is enough. */}
      {loaded === null ? <span aria-hidden="true">Loading users…</span> : countText(loaded, total)}
    </p>
  );
}
