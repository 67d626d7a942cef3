import { formatCount } from "@/components/ui/format-count";
import type { Duplicate, InvalidEntry } from "@/lib/offboarding/schema";

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
          <ul className="mt-1 list-disc pl-5">
            {invalid.map((entry, i) => (
              <li key={`${i}:${entry.input}`} data-invalid-input={entry.input}>
                <code className="break-all">{entry.input === "" ? "(empty)" : entry.input}</code>:{" "}
                {entry.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {duplicates.length > 0 ? (
        <section aria-labelledby="offboarding-duplicates">
          <h3 id="offboarding-duplicates" className="font-medium">
            {formatCount(duplicates.length)}{" "}
            {duplicates.length === 1 ? "address was" : "addresses were"} given more than once
            (ignoring case) and checked once
          </h3>
          <ul className="mt-1 list-disc pl-5">
            {duplicates.map((d) => (
              <li key={d.email}>
                <code className="break-all">{d.email}</code> ×{d.count}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
