/**
 * How an exported cell should read, worked out from the raw vendor value and
 * not from the app's own code: the oracle shared by the export's route tests
 * and its end-to-end test.
 */

/** A formula sign, full-width ones too, after any leading whitespace. */
const SIGN = /^\s*[=+\-@＝＋－＠]/;
/** A value a spreadsheet would run as a formula: a sign, or a leading tab or CR. */
export const FORMULA = /^\s*[=+\-@＝＋－＠]|^[\t\r]/;

/**
 * A text cell, neutralized the way OWASP advises against CSV injection: every
 * `;`-separated piece that would be a formula gets a `'` in front, since
 * semicolon-locale spreadsheets read each piece as a cell; so does one that
 * starts with `'` already, so the guard can be undone exactly.
 */
export const safe = (value: string | null | undefined) =>
  value === null || value === undefined
    ? ""
    : value
        .split(";")
        .map((piece, i) =>
          (i === 0 ? FORMULA : SIGN).test(piece) || piece.startsWith("'") ? `'${piece}` : piece,
        )
        .join(";");

/** An ISO 8601 timestamp cell, in UTC. */
export const iso = (value: string | null) => (value === null ? "" : new Date(value).toISOString());

/** A unix-seconds timestamp cell, as ISO 8601 UTC. */
export const unix = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? "" : new Date(seconds * 1000).toISOString();
