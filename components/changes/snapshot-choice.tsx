import { useQuery } from "@tanstack/react-query";

import { formatCount } from "@/components/ui/format-count";
import { snapshotListSchema } from "@/lib/directory/schema";
import { formatUtc } from "@/lib/users/format-date";
import type { ProviderId } from "@/lib/users/schema";

import { Choice } from "./choice";
import { fetchParsed } from "./fetch-parsed";

/** How many of the latest snapshots are offered. */
const OFFERED = 100;

/** The vendor's latest snapshots to count the changes from; `value` is a snapshot id or "". */
export function SnapshotChoice(props: {
  provider: ProviderId;
  value: string;
  onChange: (snapshot: string) => void;
}) {
  const { provider, value } = props;
  const snapshots = useQuery({
    queryKey: ["snapshots", provider],
    queryFn: ({ signal }) =>
      fetchParsed(
        `/api/directory/snapshots?${new URLSearchParams({ provider, limit: String(OFFERED) })}`,
        snapshotListSchema,
        signal,
      ),
    retry: false,
  });
  const listed = snapshots.data?.data ?? [];
  let placeholder = "pick one";
  if (snapshots.isPending) placeholder = "loading…";
  else if (snapshots.isSuccess && listed.length === 0) placeholder = "none yet: sync first";
  return (
    <>
      <Choice label="Snapshot" value={value} onChange={props.onChange}>
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
      </Choice>
      {snapshots.isError && (
        <p role="alert" className="basis-full text-red-700 dark:text-red-400">
          The snapshots could not be listed: {snapshots.error.message}
        </p>
      )}
    </>
  );
}
