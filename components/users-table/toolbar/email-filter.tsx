"use client";

import { useEffect, useEffectEvent, useId, useState, type Ref } from "react";

import { SearchIcon } from "@/components/ui/icons/search";
import { MAX_EMAIL_LENGTH } from "@/lib/api/query-params";

const DEBOUNCE_MS = 300;

/**
 * The email search box. Typing settles for 300 ms before the filter (and the
 * URL) change; Escape clears it at once. When the URL changes from outside
 * (back, forward) the box follows it.
 */
export function EmailFilter({
  value,
  onChange,
  describedBy,
  inputRef,
}: {
  value: string | undefined;
  onChange: (email: string | undefined) => void;
  describedBy?: string;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value ?? "");
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if ((draft.trim() || undefined) !== value) setDraft(value ?? "");
  }

  // Re-renders (pages arriving) must not restart the wait: only the draft does.
  const commit = useEffectEvent((next: string | undefined) => onChange(next));
  useEffect(() => {
    const next = draft.trim() || undefined;
    if (next === value) return;
    const timer = setTimeout(() => commit(next), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, value]);

  return (
    <div className="relative w-full sm:w-72">
      <label htmlFor={id} className="sr-only">
        Filter by email
      </label>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-400" />
      <input
        ref={inputRef}
        id={id}
        type="search"
        value={draft}
        maxLength={MAX_EMAIL_LENGTH}
        placeholder="Filter by email…"
        autoComplete="off"
        spellCheck={false}
        aria-describedby={describedBy}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape" && draft !== "") {
            event.preventDefault();
            setDraft("");
            onChange(undefined);
          }
        }}
        className="w-full rounded-md border border-zinc-300 bg-white py-1.5 pr-3 pl-8 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-500 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400"
      />
    </div>
  );
}
