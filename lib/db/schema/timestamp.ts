import { customType } from "drizzle-orm/pg-core";

/**
 * A `timestamptz` as PostgreSQL writes it (DateStyle ISO): `0001-01-01 00:53:28+00:53:28`, the
 * offset in the session's time zone, with seconds for a zone's local mean time before 1900.
 */
const PG_TIMESTAMPTZ =
  /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?( BC)?$/;

/**
 * The instant a `timestamptz` names, to the millisecond. Not `new Date(text)`
 * (what drizzle's own column does): that reads the years 1 to 99 as 1901 to
 * 2049 (`0001-01-01 00:00:00+00`, a vendor's zero time, became 2001) and
 * refuses an offset with seconds.
 */
function parseTimestamptz(text: string): Date {
  const match = PG_TIMESTAMPTZ.exec(text);
  if (!match) return new Date(text);
  const [, year, month, day, hours, minutes, seconds, fraction, sign, oh, om, os, bc] = match;
  const date = new Date(0);
  date.setUTCFullYear(bc ? 1 - Number(year) : Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(
    Number(hours),
    Number(minutes),
    Number(seconds),
    Number((fraction ?? "").padEnd(3, "0").slice(0, 3)),
  );
  const offset = (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) * 1000;
  return new Date(date.getTime() - (sign === "+" ? offset : -offset));
}

/**
 * An ISO 8601 time as PostgreSQL reads it. Past year 9999 `toISOString` writes
 * `+010000-01-01T…`, which PostgreSQL refuses; `10000-01-01T…` it takes.
 */
export function pgTimestamp(iso: string): string {
  return iso.startsWith("+") ? iso.replace(/^\+0*(?=\d{5})/, "") : iso;
}

/** A `timestamp with time zone` column read and written as a Date, whatever its year. */
export const tz = customType<{ data: Date; driverData: string | Date }>({
  dataType: () => "timestamp with time zone",
  toDriver: (value) => pgTimestamp(value.toISOString()),
  fromDriver: (value) => (typeof value === "string" ? parseTimestamptz(value) : value),
});
