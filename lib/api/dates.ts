/**
 * Dates and times that people type into a query, a body or a CSV, parsed one
 * strict way: the calendar must hold the day (no 30 February rolled into
 * March), and the instant must lie in years 1 to 9999, which every place that
 * keeps or prints it can hold (PostgreSQL has no year 0; `toISOString` writes
 * year 10000 as `+010000`, which a timestamp column refuses). Browser-safe.
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** The first and last instants a parsed value may be. */
const EARLIEST_INSTANT = Date.parse("0001-01-01T00:00:00.000Z");
export const LATEST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

function inRange(time: number): boolean {
  return Number.isFinite(time) && time >= EARLIEST_INSTANT && time <= LATEST_INSTANT;
}

/** `2026-03-31` as UTC midnight of that day, or null when it is not a calendar date in years 1 to 9999. */
export function parseCalendarDate(text: string): Date | null {
  if (!DATE_ONLY.test(text)) return null;
  const time = Date.parse(`${text}T00:00:00.000Z`);
  if (!inRange(time)) return null;
  const date = new Date(time);
  return date.toISOString().slice(0, 10) === text ? date : null;
}

/**
 * An ISO 8601 date-time with a zone (`Z` or `±hh:mm`), seconds and up to three
 * fraction digits optional; null when any field is out of its range or the
 * instant falls outside years 1 to 9999.
 */
export function parseIsoDateTime(text: string): Date | null {
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const [, day, hours, minutes, seconds, offsetHours, offsetMinutes] = match;
  if (!parseCalendarDate(day!)) return null;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59) return null;
  if (Number(offsetHours ?? 0) > 23 || Number(offsetMinutes ?? 0) > 59) return null;
  const time = Date.parse(text);
  return inRange(time) ? new Date(time) : null;
}

/** The instant `days` whole days after `date`, held at the latest instant a value may be. */
export function addDaysClamped(date: Date, days: number): Date {
  return new Date(Math.min(date.getTime() + days * 86_400_000, LATEST_INSTANT));
}
