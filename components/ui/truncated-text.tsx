/** One line, cut with an ellipsis; the whole value is in the tooltip. */
export function TruncatedText({
  value,
  className = "",
}: {
  value: string | null | undefined;
  className?: string;
}) {
  if (value === null || value === undefined || value === "") return <EmptyValue />;
  return (
    <span title={value} className={`block truncate ${className}`}>
      {value}
    </span>
  );
}

/** A missing value: a dash that screen readers read as "none". */
export function EmptyValue() {
  return (
    <span className="text-zinc-400 dark:text-zinc-500">
      <span aria-hidden="true">—</span>
      <span className="sr-only">none</span>
    </span>
  );
}
