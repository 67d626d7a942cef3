import Link from "next/link";

import type { RosterEntry, RosterUpload } from "@/lib/people/schema";

import { rosterSummary } from "./roster-summary";

/**
 * A person's entry in the HR roster in force; without one, whether that is
 * because the roster does not list them (and which roster) or because none is
 * loaded, since only the first is a finding.
 */
export function PersonRoster({
  entry,
  upload,
}: {
  entry: RosterEntry | null;
  upload: RosterUpload | null;
}) {
  if (entry) {
    return (
      <p className="text-sm">
        {[
          entry.name,
          entry.department,
          entry.manager && `manager ${entry.manager}`,
          entry.status,
          entry.endDate && `end date ${entry.endDate}`,
        ]
          .filter(Boolean)
          .join(" · ")}
      </p>
    );
  }
  if (upload) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Not in the HR roster in force ({rosterSummary(upload)}).
      </p>
    );
  }
  return (
    <p className="text-sm text-zinc-600 dark:text-zinc-400">
      No HR roster is loaded: upload one on{" "}
      <Link className="text-indigo-700 underline dark:text-indigo-300" href="/people">
        People
      </Link>{" "}
      to see who has left.
    </p>
  );
}
