"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef } from "react";

import { buttonClass } from "@/components/ui/button";
import { isRecord } from "@/lib/api/json-guards";
import type { RosterUpload } from "@/lib/people/schema";

import { failureFrom, PeopleApiFailure } from "./people-api";
import { rosterSummary } from "./roster-summary";

async function fetchRoster(): Promise<RosterUpload | null> {
  const response = await fetch("/api/roster");
  if (!response.ok) throw await failureFrom(response);
  const body: unknown = await response.json();
  const roster = isRecord(body) ? body.roster : undefined;
  if (roster === null) return null;
  if (
    isRecord(roster) &&
    typeof roster.rows === "number" &&
    typeof roster.uploadedAt === "string" &&
    typeof roster.uploadedBy === "string"
  ) {
    return roster as unknown as RosterUpload;
  }
  throw new PeopleApiFailure("invalid_response", "Roster's server sent an unreadable answer.");
}

async function send(method: "POST" | "DELETE", body?: ArrayBuffer) {
  const response = await fetch("/api/roster", {
    method,
    body,
    headers: body ? { "content-type": "text/csv" } : undefined,
  });
  if (!response.ok) throw await failureFrom(response);
}

/** The HR roster: which one is in force, upload a new one (row errors listed), remove it. */
export function RosterPanel() {
  const client = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const roster = useQuery({ queryKey: ["roster"], queryFn: fetchRoster, staleTime: 0 });
  const changed = async () => {
    await client.invalidateQueries({ queryKey: ["roster"] });
    await client.resetQueries({ queryKey: ["people"] });
  };
  const upload = useMutation({
    mutationFn: async (file: File) => send("POST", await file.arrayBuffer()),
    onSuccess: changed,
    onSettled: () => {
      if (input.current) input.current.value = "";
    },
  });
  const remove = useMutation({
    mutationFn: () => send("DELETE"),
    onSuccess: async () => {
      await changed();
      // The button pressed is gone with the roster: the focus goes to uploading another.
      input.current?.focus();
    },
  });
  const failure = upload.error instanceof PeopleApiFailure ? upload.error : null;

  return (
    <section aria-label="HR roster" className="flex flex-col gap-2 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        {/* A live region: a screen reader hears that the file picked was loaded (or removed). */}
        <span role="status" data-testid="roster-status">
          {roster.data
            ? `HR roster: ${rosterSummary(roster.data)}`
            : roster.isPending
              ? "HR roster: …"
              : "No HR roster loaded"}
        </span>
        {/* The input is visually hidden: its label shows the keyboard focus for it. */}
        <label
          htmlFor={inputId}
          className={`${buttonClass.secondary} cursor-pointer has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-indigo-500`}
        >
          {upload.isPending ? "Uploading…" : "Upload roster CSV"}
          <input
            id={inputId}
            ref={input}
            type="file"
            accept=".csv,text/csv"
            className="sr-only"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) upload.mutate(file);
            }}
          />
        </label>
        {roster.data ? (
          <button
            type="button"
            // Not disabled while removing: a disabled button drops the keyboard focus to the page.
            className={`${buttonClass.ghost} aria-disabled:opacity-60`}
            aria-disabled={remove.isPending || undefined}
            onClick={() => {
              if (!remove.isPending) remove.mutate();
            }}
          >
            Remove roster
          </button>
        ) : null}
      </div>
      {upload.error ? (
        <div
          role="alert"
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
        >
          <p>{upload.error.message}</p>
          {failure && failure.rows.length > 0 ? (
            <ul className="mt-1 max-h-40 list-disc overflow-auto pl-5" aria-label="Roster errors">
              {failure.rows.map((row, i) => (
                <li key={i}>
                  Line {row.line}
                  {row.column ? `, ${row.column}` : ""}: {row.reason}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {remove.error ? <p role="alert">{remove.error.message}</p> : null}
    </section>
  );
}
