import { useInfiniteQuery } from "@tanstack/react-query";

import { formatCount } from "@/lib/users/format-count";
import { snapshotListSchema } from "@/lib/directory/schema";
import { formatUtc } from "@/lib/users/format-date";
import type { ProviderId } from "@/lib/users/schema";

import { Choice } from "./choice";
import { fetchParsed } from "./fetch-parsed";

/** How many snapshots are offered at first, and added by each "older snapshots…". */
const OFFERED = 100;

/** The option that lists older snapshots rather than choosing one (not a snapshot id). */
const OLDER = "older";

/**
 * The vendor's snapshots to count the changes from, newest first; `value` is
 * a snapshot id or "". The latest 100 at first (a day's at the default
 * interval); the last option lists 100 older ones, for as long as there are.
 */
export function SnapshotChoice(props: {
  provider: ProviderId;
  value: string;
  onChange: (snapshot: string) => void;
}) {
  const { provider, value } = props;
  const snapshots = useInfiniteQuery({
    queryKey: ["snapshots", provider],
    queryFn: ({ pageParam, signal }) =>
      fetchParsed(
        `/api/directory/snapshots?${new URLSearchParams({
          provider,
          limit: String(OFFERED),
          ...(pageParam ? { cursor: pageParam } : {}),
        })}`,
        snapshotListSchema,
        signal,
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
  });
  const listed = snapshots.data?.pages.flatMap((page) => page.data) ?? [];
  let placeholder = "pick one";
  if (snapshots.isPending) placeholder = "loading…";
  else if (snapshots.isSuccess && listed.length === 0) placeholder = "none yet: sync first";
  return (
    <>
      <Choice
        label="Snapshot"
        value={value}
        onChange={(chosen) => {
          // The choice stays as it was while the older ones load.
          if (chosen === OLDER) void snapshots.fetchNextPage();
          else props.onChange(chosen);
        }}
      >
        <option value="">{placeholder}</option>
        {/* One from a link, older than those listed: still shown as chosen. */}
        {value && !listed.some((s) => String(s.snapshotId) === value) && (
          <option value={value}>#{value}</option>
        )}
        {listed.map((s) => (
          <option key={s.snapshotId} value={String(s.snapshotId)}>
            #{s.snapshotId} · {formatUtc(s.finishedAt)} · {formatCount(s.rows)}{" "}
            {s.rows === 1 ? "user" : "users"}
          </option>
        ))}
        {snapshots.hasNextPage && (
          <option value={OLDER} disabled={snapshots.isFetchingNextPage}>
            {snapshots.isFetchingNextPage ? "loading older snapshots…" : "older snapshots…"}
          </option>
        )}
      </Choice>
      {snapshots.isError && (
        <p role="alert" className="basis-full text-red-700 dark:text-red-400">
          The snapshots could not be listed: {snapshots.error.message}
        </p>
      )}
    </>
  );
}
