import "server-only";

/**
 * One Date, reused, for what the fast path below does not cover. A Next.js
 * server wraps the Date constructor (to notice reads of the clock), which
 * makes each `new Date(x)` cost about 1 µs more.
 */
const reused = new Date(0);

/** `00`–`99` and `000`–`999`, so that a field is one array read instead of a `padStart`. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

const MS_PER_DAY = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the years `toISOString` writes with four digits. */
const FOUR_DIGIT_YEARS_FROM = -62_167_219_200_000;
const FOUR_DIGIT_YEARS_TO = 253_402_300_799_999;

/**
 * `new Date(ms).toISOString()`: a RangeError when `ms` is not a valid time, as
 * there. Years 0000–9999 are written here, without a Date: `toISOString`
 * cost about 0.5 µs a call, 0.1 ms of every 100-user list page (two times a
 * user). Other years (`+010000-…`, `-000001-…`) and invalid times go to Date.
 */
export function isoFromMillis(ms: number): string {
  // As a Date does (TimeClip): the fraction of a millisecond is cut off toward zero.
  const time = Math.trunc(ms);
  if (!(time >= FOUR_DIGIT_YEARS_FROM && time <= FOUR_DIGIT_YEARS_TO)) {
    reused.setTime(ms);
    return reused.toISOString();
  }
  const days = Math.floor(time / MS_PER_DAY);
  let rest = time - days * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  // The civil date of a day count (Howard Hinnant's days_from_civil, inverted), in 400-year eras from 0000-03-01.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const d2 = TWO_DIGITS;
  return `${d2[Math.floor(year / 100)]}${d2[year % 100]}-${d2[month]}-${d2[day]}T${d2[hours]}:${d2[minutes]}:${d2[seconds]}.${THREE_DIGITS[millis]}Z`;
}

/** A vendor's date string (ISO 8601) in Roster's form, `new Date(text).toISOString()`. */
export function isoFromText(text: string): string {
  return isoFromMillis(Date.parse(text));
}
