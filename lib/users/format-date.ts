const RELATIVE = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });
const EXACT = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
});

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600_000],
  ["month", 30 * 24 * 3600_000],
  ["week", 7 * 24 * 3600_000],
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/** Parses an ISO string; `null` for a missing or unreadable date. */
export function parseDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "3 days ago", "in 2 hours", "just now": the largest whole unit. */
export function formatRelative(date: Date, now: number): string {
  const diff = date.getTime() - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return RELATIVE.format(Math.trunc(diff / ms), unit);
  }
  return "just now";
}

/** "Mar 3, 2024, 10:15 AM UTC", in the admin's time zone. */
export function formatExact(date: Date): string {
  return EXACT.format(date);
}

/**
 * A fixed UTC time for sync times and evidence, the same for every admin:
 * "2026-05-01 10:02 UTC", or with `"second"` "2026-05-01 10:02:17 UTC".
 * Text that is not a date comes back as it is.
 */
export function formatUtc(iso: string, precision: "minute" | "second" = "minute"): string {
  const date = parseDate(iso);
  if (!date) return iso;
  const text = date.toISOString().replace("T", " ");
  return `${text.slice(0, precision === "minute" ? 16 : 19)} UTC`;
}

/**
 * When an account was last used, as People and the offboarding check show it
 * beside its status: "last 2025-10-20" (the UTC day, comparable with a
 * roster's end date) or "never used".
 */
export function lastUsedText(iso: string | null): string {
  const date = parseDate(iso);
  return date ? `last ${date.toISOString().slice(0, 10)}` : "never used";
}
