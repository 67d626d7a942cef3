"use client";

import { useState } from "react";

import { buttonClass } from "@/components/ui/button";
import type { AsOf } from "@/lib/people/schema";

import { failureFrom } from "./people-api";
import { SyncedAsOf } from "./synced-as-of";

/**
 * "As of" per vendor and a "Sync now" button posting to the directory's sync.
 * Kept small so the shared directory control can replace it.
 */
export function SyncNow({ asOf, onStarted }: { asOf: AsOf | null; onStarted: () => void }) {
  const [state, setState] = useState<{ kind: "idle" | "busy" } | { kind: "message"; text: string }>(
    {
      kind: "idle",
    },
  );
  const sync = async () => {
    setState({ kind: "busy" });
    try {
      const response = await fetch("/api/directory/sync", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      if (response.status === 202 || response.status === 409) {
        setState({ kind: "message", text: "Sync started; the view updates when it finishes." });
        onStarted();
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
      <button
        type="button"
        className={buttonClass.secondary}
        disabled={state.kind === "busy"}
        onClick={() => void sync()}
      >
        Sync now
      </button>
      {state.kind === "message" ? <span role="status">{state.text}</span> : null}
    </div>
  );
}
