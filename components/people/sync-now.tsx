"use client";

import { useState } from "react";

import { buttonClass } from "@/components/ui/button";
import { isRecord } from "@/lib/api/json-guards";
import type { AsOf } from "@/lib/people/schema";
import { PROVIDER_IDS } from "@/lib/users/contract";
import type { ProviderId } from "@/lib/users/schema";

import { failureFrom } from "./people-api";
import { SyncedAsOf } from "./synced-as-of";

/** The vendors of a 202 `{ syncs: [{ provider, snapshotId }] }`. */
function startedProviders(body: unknown): ProviderId[] {
  const syncs = isRecord(body) && Array.isArray(body.syncs) ? body.syncs : [];
  return PROVIDER_IDS.filter((id) =>
    syncs.some((sync: unknown) => isRecord(sync) && sync.provider === id),
  );
}

/**
 * "As of" per vendor and a "Sync now" button posting to the directory's sync.
 * Kept small so the shared directory control can replace it.
 */
export function SyncNow({
  asOf,
  watching,
  onStarted,
}: {
  asOf: AsOf | null;
  /** Whether the list still waits for a sync started here: "Sync started" is said until then. */
  watching: boolean;
  /** The vendors whose syncs started (none known when one was already running). */
  onStarted: (providers: ProviderId[]) => void;
}) {
  const [state, setState] = useState<
    { kind: "idle" | "busy" | "started" } | { kind: "message"; text: string }
  >({ kind: "idle" });
  const sync = async () => {
    setState({ kind: "busy" });
    try {
      const response = await fetch("/api/directory/sync", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      if (response.status === 202 || response.status === 409) {
        setState({ kind: "started" });
        onStarted(
          response.status === 202 ? startedProviders(await response.json().catch(() => null)) : [],
        );
      } else {
        setState({ kind: "message", text: (await failureFrom(response)).message });
      }
    } catch {
      setState({ kind: "message", text: "Roster's server could not be reached." });
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-3 text-xs text-zinc-600 dark:text-zinc-400">
      <SyncedAsOf asOf={asOf} />
      {/* Not disabled while busy: a disabled button drops the keyboard focus to the page. */}
      <button
        type="button"
        className={`${buttonClass.secondary} aria-disabled:opacity-60`}
        aria-disabled={state.kind === "busy" || undefined}
        onClick={() => {
          if (state.kind !== "busy") void sync();
        }}
      >
        Sync now
      </button>
      {state.kind === "message" ? <span role="status">{state.text}</span> : null}
      {state.kind === "started" && watching ? (
        <span role="status">Sync started; the view updates when it finishes.</span>
      ) : null}
    </div>
  );
}
