import type { UserStatus } from "@/lib/users/schema";

const STYLES: Record<UserStatus, { label: string; className: string; dot: string }> = {
  enabled: {
    label: "Enabled",
    className:
      "bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-400/10 dark:text-emerald-300 dark:ring-emerald-400/25",
    dot: "bg-emerald-500",
  },
  disabled: {
    label: "Disabled",
    className:
      "bg-zinc-100 text-zinc-700 ring-zinc-500/25 dark:bg-zinc-400/10 dark:text-zinc-300 dark:ring-zinc-400/25",
    dot: "bg-zinc-400",
  },
  blocked: {
    label: "Blocked",
    className:
      "bg-red-50 text-red-800 ring-red-600/25 dark:bg-red-400/10 dark:text-red-300 dark:ring-red-400/25",
    dot: "bg-red-500",
  },
};

/** The status as a coloured badge that always carries its word (colour is never the only cue). */
export function StatusBadge({ status }: { status: UserStatus }) {
  const style = STYLES[status];
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style.className}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${style.dot}`} />
      {style.label}
    </span>
  );
}
