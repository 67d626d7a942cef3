import type { ReactNode } from "react";

import { formatCount } from "@/lib/users/format-count";
import type { Duplicate, InvalidEntry } from "@/lib/offboarding/schema";

/** Lines listed before the rest of a long list folds away, so the results stay near the top. */
export const NOTES_SHOWN = 10;

/** The entries that were not checked as given: invalid ones with their reason, duplicates merged. */
export function EntryNotes({
  invalid,
  duplicates,
}: {
  invalid: readonly InvalidEntry[];
  duplicates: readonly Duplicate[];
}) {
  if (invalid.length === 0 && duplicates.length === 0) return null;
  return (
    <div className="flex flex-col gap-3 text-sm">
      {invalid.length > 0 ? (
        <section aria-labelledby="offboarding-invalid">
          <h3 id="offboarding-invalid" className="font-medium text-red-700 dark:text-red-400">
            {formatCount(invalid.length)} {invalid.length === 1 ? "entry is" : "entries are"} not an
            email address and {invalid.length === 1 ? "was" : "were"} not checked
          </h3>
          <FoldedList
            items={invalid.map((entry, i) => (
              <li key={`${i}:${entry.input}`} data-invalid-input={entry.input}>
                <code className="break-all">{entry.input === "" ? "(empty)" : entry.input}</code>:{" "}
                {entry.reason}
              </li>
            ))}
          />
        </section>
      ) : null}
      {duplicates.length > 0 ? (
        <section aria-labelledby="offboarding-duplicates">
          <h3 id="offboarding-duplicates" className="font-medium">
            {formatCount(duplicates.length)}{" "}
            {duplicates.length === 1 ? "address was" : "addresses were"} given more than once
            (ignoring case) and checked once
          </h3>
          <FoldedList
            items={duplicates.map((d) => (
              <li key={d.email}>
                <code className="break-all">{d.email}</code> ×{formatCount(d.count)}
              </li>
            ))}
          />
        </section>
      ) : null}
    </div>
  );
}

/** The first `NOTES_SHOWN` lines, and the others behind "Show N more" (a native disclosure). */
function FoldedList({ items }: { items: ReactNode[] }) {
  const rest = items.slice(NOTES_SHOWN);
  return (
    <>
      <ul className="mt-1 list-disc pl-5">{items.slice(0, NOTES_SHOWN)}</ul>
      {rest.length > 0 ? (
        <details>
          <summary className="cursor-pointer pl-5 text-zinc-600 underline underline-offset-2 dark:text-zinc-400">
            Show {formatCount(rest.length)} more
          </summary>
          <ul className="list-disc pl-5">{rest}</ul>
        </details>
      ) : null}
    </>
  );
}
