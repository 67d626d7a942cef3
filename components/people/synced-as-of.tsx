import type { AsOf } from "@/lib/people/schema";
import { PROVIDER_IDS, PROVIDER_LABELS } from "@/lib/users/contract";
import { formatUtc } from "@/lib/users/format-date";

/** "As of Telnyx 2026-05-01 10:02 UTC · OpenAI never synced". */
export function asOfText(asOf: AsOf | null): string {
  const one = (iso: string | null) => (iso ? formatUtc(iso) : "never synced");
  return `As of ${PROVIDER_IDS.map((id) => `${PROVIDER_LABELS[id]} ${one(asOf?.[id] ?? null)}`).join(" · ")}`;
}

export function SyncedAsOf({ asOf }: { asOf: AsOf | null }) {
  return (
    <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="people-as-of">
      {asOfText(asOf)}
    </p>
  );
}
