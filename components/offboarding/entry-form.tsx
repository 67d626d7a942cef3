"use client";

import { useId, useState, type FormEvent } from "react";

import { formatCount } from "@/lib/users/format-count";
import { buttonClass } from "@/components/ui/button";
import { csvEmailEntries, splitEntries } from "@/lib/offboarding/parse";
import { MAX_ADDRESSES } from "@/lib/offboarding/schema";

/**
 * Paste addresses or upload a CSV with an `email` column. The entries go to
 * the server as they are; it validates them and reports the invalid ones.
 */
export function EntryForm({
  disabled,
  onSubmit,
}: {
  disabled: boolean;
  onSubmit: (entries: string[]) => void;
}) {
  const [text, setText] = useState("");
  const [csv, setCsv] = useState<{ name: string; entries: string[] } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const hintId = useId();
  const entries = csv ? csv.entries : splitEntries(text);
  const tooMany = entries.length > MAX_ADDRESSES;

  const readFile = async (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    const parsed = csvEmailEntries(await file.text());
    if (parsed.ok) setCsv({ name: file.name, entries: parsed.entries });
    else {
      setCsv(null);
      setFileError(`${file.name}: ${parsed.message}`);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (entries.length > 0 && !tooMany) onSubmit(entries);
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-3">
      <label htmlFor="offboarding-emails" className="text-sm font-medium">
        Email addresses
      </label>
      <textarea
        id="offboarding-emails"
        value={text}
        onChange={(event) => setText(event.target.value)}
        disabled={csv !== null}
        rows={8}
        aria-describedby={hintId}
        placeholder={"ana@example.com\nBo Lee <bo@example.com>, cy@example.com"}
        className="w-full rounded-md border border-zinc-300 bg-white p-2 font-mono text-sm disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900"
      />
      <p id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
        One per line, or separated by commas, semicolons or spaces; “Name &lt;address&gt;” works
        too. Up to {formatCount(MAX_ADDRESSES)} addresses.
      </p>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        {/* The input is visually hidden: its label shows the keyboard focus for it. */}
        <label
          className={`${buttonClass.secondary} cursor-pointer has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-indigo-500`}
        >
          Upload CSV
          <input
            type="file"
            accept=".csv,text/csv"
            className="sr-only"
            onChange={(event) => {
              void readFile(event.target.files?.[0]);
              // Let go of the file: a browser fires no change when the file an input holds is
              // picked again, as after fixing the CSV that was just refused.
              event.target.value = "";
            }}
          />
        </label>
        {/* Always there, so that a screen reader hears what the file picked holds. */}
        <span role="status">
          {csv
            ? `${csv.name}: ${
                csv.entries.length === 0
                  ? "its email column is empty: there is nothing to check"
                  : `${formatCount(csv.entries.length)} ${csv.entries.length === 1 ? "row" : "rows"} from its email column`
              }`
            : null}
        </span>
        {csv ? (
          <button type="button" className={buttonClass.ghost} onClick={() => setCsv(null)}>
            Remove file
          </button>
        ) : null}
      </div>
      {fileError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {fileError}
        </p>
      ) : null}
      {tooMany ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {formatCount(entries.length)} entries: one check takes up to {formatCount(MAX_ADDRESSES)}.
        </p>
      ) : null}
      <div>
        <button
          type="submit"
          className={buttonClass.primary}
          disabled={disabled || entries.length === 0 || tooMany}
        >
          Check {entries.length > 0 ? `${formatCount(entries.length)} ` : ""}
          {entries.length === 1 ? "entry" : "entries"}
        </button>
      </div>
    </form>
  );
}
