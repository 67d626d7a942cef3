import { formatExact } from "@/lib/users/format-date";

/** Vendor keys such as `created_at` become "created at"; the raw key stays in the tooltip. */
function humanize(key: string): string {
  return key.replace(/_/g, " ");
}

/** Unix-seconds timestamps (OpenAI's `added_at`) get their date beside the number. */
function timestampHint(key: string, value: number): string | null {
  if (!/(_at|^created)$/.test(key) || value < 1e9 || value > 1e11) return null;
  return formatExact(new Date(value * 1000));
}

const muted = "text-zinc-500 italic dark:text-zinc-400";

function Primitive({ name, value }: { name: string; value: unknown }) {
  if (value === null || value === undefined) return <span className={muted}>null</span>;
  if (typeof value === "number") {
    const hint = timestampHint(name, value);
    return (
      <span className="font-mono">
        {value}
        {hint && <span className="ml-2 font-sans text-zinc-500 dark:text-zinc-400">({hint})</span>}
      </span>
    );
  }
  return <span className="font-mono break-all">{String(value)}</span>;
}

function Value({ name, value }: { name: string; value: unknown }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className={muted}>empty list</span>;
    return (
      <ol className="space-y-2">
        {value.map((item, i) => (
          <li key={i} className="rounded-md border border-zinc-200 px-3 dark:border-zinc-800">
            {item !== null && typeof item === "object" && !Array.isArray(item) ? (
              <VendorRecord record={item as Record<string, unknown>} nested />
            ) : (
              <div className="py-1.5">
                <Value name={name} value={item} />
              </div>
            )}
          </li>
        ))}
      </ol>
    );
  }
  if (value !== null && typeof value === "object") {
    return (
      <div className="rounded-md border border-zinc-200 px-3 dark:border-zinc-800">
        <VendorRecord record={value as Record<string, unknown>} nested />
      </div>
    );
  }
  return <Primitive name={name} value={value} />;
}

/**
 * Every field of the vendor's record, nested objects and lists included, as
 * definition lists: nothing the vendor sent is hidden from the admin.
 */
export function VendorRecord({
  record,
  nested = false,
}: {
  record: Record<string, unknown>;
  nested?: boolean;
}) {
  const entries = Object.entries(record);
  if (entries.length === 0) return <p className={`py-1.5 text-sm ${muted}`}>no fields</p>;
  const columns = nested
    ? "grid-cols-[minmax(4rem,auto)_1fr] gap-3"
    : "grid-cols-1 gap-1 sm:grid-cols-[11rem_1fr] sm:gap-3";
  return (
    <dl className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
      {entries.map(([key, value]) => (
        <div key={key} className={`grid py-1.5 ${columns}`}>
          <dt className="text-zinc-500 dark:text-zinc-400" title={key}>
            {humanize(key)}
          </dt>
          <dd className="min-w-0 text-zinc-900 dark:text-zinc-100">
            <Value name={key} value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
