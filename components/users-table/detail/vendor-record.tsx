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

function Primitive({ name, value }: { name: string; value: unknown }) {
  if (value === null || value === undefined) {
    return <span className="text-zinc-500 italic dark:text-zinc-400">null</span>;
  }
  if (typeof value === "boolean") return <span className="font-mono">{String(value)}</span>;
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

/**
 * Every field of the vendor's record, nested objects and lists included, as
 * definition lists: nothing the vendor sent is hidden from the admin.
 */
export function VendorRecord({ record }: { record: Record<string, unknown> }) {
  const entries = Object.entries(record);
  if (entries.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">No fields.</p>;
  return (
    <dl className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
      {entries.map(([key, value]) => (
        <div key={key} className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-[11rem_1fr] sm:gap-3">
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

function Value({ name, value }: { name: string; value: unknown }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="text-zinc-500 italic dark:text-zinc-400">empty list</span>;
    return (
      <ol className="space-y-2">
        {value.map((item, i) => (
          <li key={i} className="rounded-md border border-zinc-200 px-3 py-1 dark:border-zinc-800">
            <Value name={name} value={item} />
          </li>
        ))}
      </ol>
    );
  }
  if (value !== null && typeof value === "object") {
    return (
      <div className="rounded-md border border-zinc-200 px-3 dark:border-zinc-800">
        <VendorRecord record={value as Record<string, unknown>} />
      </div>
    );
  }
  return <Primitive name={name} value={value} />;
}
