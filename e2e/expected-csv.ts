/**
 * How an exported cell should read, worked out from the raw vendor value and
 * not from the app's own code: the oracle shared by the export's route tests
 * and its end-to-end test.
 */

/** A value a spreadsheet would run as a formula. */
export const FORMULA = /^[=+\-@\t\r]/;

/** A text cell, neutralized the way OWASP advises against CSV injection. */
export const safe = (value: string | null | undefined) =>
  value === null || value === undefined ? "" : FORMULA.test(value) ? `'${value}` : value;

/** An ISO 8601 timestamp cell, in UTC. */
export const iso = (value: string | null) => (value === null ? "" : new Date(value).toISOString());

/** A unix-seconds timestamp cell, as ISO 8601 UTC. */
export const unix = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? "" : new Date(seconds * 1000).toISOString();
