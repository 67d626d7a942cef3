"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

import { formatCount } from "@/lib/users/format-count";
import { buttonClass } from "@/components/ui/button";
import { formatRelative, parseDate } from "@/lib/users/format-date";
import {
  cancelSync,
  DirectoryApiError,
  directoryStatusQueryOptions,
  startSync,
} from "@/lib/query/directory-api";
import type { ProviderId } from "@/lib/users/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";
import { useNow } from "@/lib/users/use-now";

import { NextSync } from "./next-sync";

/**
 * "Sync now" for one vendor: progress while a sync runs (on any instance),
 * Cancel, why the last one failed, and when the schedule syncs next. When a
 * sync finishes, the lists read from the directory are refetched.
 */
export function SyncControl({ provider }: { provider: ProviderId }) {
  const queryClient = useQueryClient();
  const now = useNow();
  const [message, setMessage] = useState<string | null>(null);
  const status = useQuery(directoryStatusQueryOptions);
  const mine = status.data?.providers[provider];
  const running = mine?.running ?? null;
  const currentId = mine?.current?.snapshotId ?? null;

  // A new snapshot (the first one too): directory lists of this vendor show it.
  // `undefined` until the status first arrives, which is not a change.
  const loaded = status.data !== undefined;
  const seen = useRef<number | null | undefined>(undefined);
  useEffect(() => {
    if (!loaded) return;
    if (seen.current !== undefined && currentId !== seen.current) {
      void queryClient.invalidateQueries({
        predicate: (q) =>
          q.queryKey[0] === "users" &&
          q.queryKey[1] === provider &&
          (q.queryKey[2] as { source?: string })?.source === "directory",
      });
    }
    seen.current = currentId;
  }, [loaded, currentId, provider, queryClient]);

  const act = async (action: () => Promise<void>) => {
    setMessage(null);
    try {
      await action();
    } catch (error) {
      // A sync already running elsewhere is not an error to the admin: it shows below.
      if (!(error instanceof DirectoryApiError && error.code === "sync_running")) {
        setMessage(error instanceof Error ? error.message : "The request failed.");
      }
    }
    await queryClient.invalidateQueries({ queryKey: ["directory-status"] });
  };

  if (!mine?.configured) return null;
  const failure = mine.lastFailure;
  const failedAt = parseDate(failure?.at ?? null);
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="sync-control">
      {running && (
        <span role="status" className="text-zinc-700 tabular-nums dark:text-zinc-300">
          Syncing {PROVIDER_LABELS[provider]}: {formatCount(running.rowsSoFar)}
          {running.total !== null ? ` of ${formatCount(running.total)}` : ""} users
        </span>
      )}
      {/* One button, "Sync now" or "Cancel sync": the element stays, and so does the keyboard
          focus on it (two buttons swapping dropped it to the page at each start and end). */}
      <button
        type="button"
        className={running ? buttonClass.ghost : buttonClass.secondary}
        onClick={() => void act(() => (running ? cancelSync(provider) : startSync(provider)))}
      >
        {running ? "Cancel sync" : "Sync now"}
      </button>
      {!running && failure && (
        <span role="alert" className="text-red-700 dark:text-red-400">
          Last sync failed{failedAt ? ` ${formatRelative(failedAt, now)}` : ""}: {failure.message}
          {mine.current ? " The previous snapshot is still in use." : ""}
        </span>
      )}
      {/* A cancel is the admin's choice, not a failure to try again after. */}
      <NextSync
        at={mine.nextScheduledAt}
        afterFailure={!!failure && failure.code !== "cancelled"}
      />
      {message && (
        <span role="alert" className="text-red-700 dark:text-red-400">
          {message}
        </span>
      )}
    </div>
  );
}
