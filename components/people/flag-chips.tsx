import { formatCount } from "@/lib/users/format-count";
import { focusRing } from "@/components/ui/button";
import type { PersonFlag } from "@/lib/people/schema";
import { FLAG_LABELS, PERSON_FLAGS } from "@/lib/people/contract";

/** A count per flag, each a toggle filter; selected flags must all hold. */
export function FlagChips({
  counts,
  selected,
  onToggle,
}: {
  counts: Record<PersonFlag, number> | null;
  selected: readonly PersonFlag[];
  onToggle: (flag: PersonFlag) => void;
}) {
  return (
    <ul aria-label="Risk flags" className="flex flex-wrap gap-2">
      {PERSON_FLAGS.map((flag) => {
        const on = selected.includes(flag);
        const n = counts?.[flag];
        return (
          <li key={flag}>
            <button
              type="button"
              aria-pressed={on}
              data-flag={flag}
              onClick={() => onToggle(flag)}
              className={`rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset ${focusRing} ${
                on
                  ? "bg-indigo-600 text-white ring-indigo-600"
                  : n
                    ? "bg-amber-50 text-amber-900 ring-amber-600/30 hover:bg-amber-100 dark:bg-amber-400/10 dark:text-amber-200"
                    : "bg-white text-zinc-600 ring-zinc-300 hover:bg-zinc-50 dark:bg-zinc-900 dark:text-zinc-400 dark:ring-zinc-700"
              }`}
            >
              <span className="tabular-nums">{n === undefined ? "…" : formatCount(n)}</span>{" "}
              {FLAG_LABELS[flag]}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
