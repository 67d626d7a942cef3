/**
 * CSV serialization (RFC 4180) with OWASP CSV-injection neutralization. No
 * server imports: the browser's record counter lives here too.
 */

/** Spreadsheet apps read the file as UTF-8 (names in any script, emoji) only when it starts with this. */
export const CSV_BOM = "\uFEFF";
export const CSV_LINE_END = "\r\n";

/**
 * A cell spreadsheet apps may read as a formula (OWASP "CSV Injection"): one
 * starting with `=`, `+`, `-` or `@`, also after leading spaces, NBSP or other
 * whitespace (which Excel skips) and in their full-width forms (`＝＋－＠`, which
 * CJK input produces and some apps normalize), or starting with a tab or CR.
 */
const FORMULA_SIGN = String.raw`\s*[=+\-@\uff1d\uff0b\uff0d\uff20]`;
const FORMULA_TRIGGER = new RegExp(String.raw`^${FORMULA_SIGN}|^[\t\r]`);
/**
 * Quoted: RFC 4180's comma, quote, CR and LF, and also `;` and tab, the list
 * separators of spreadsheets in many locales (German, French, Dutch Excel),
 * so a value never splits into cells there either.
 */
const NEEDS_QUOTES = /[",;\t\r\n]/;

/**
 * A value starting with `#` is quoted too, so no record can begin with `#`: a
 * line that does is always the failure line a cut export ends with
 * (`lib/export/failure.ts`), never a one-column row that happens to read like it.
 */
const STARTS_LIKE_MARKER = "#";

/**
 * A formula sign right after a `;` inside a value: where `;` separates cells,
 * a comma-separated file's line splits there and the fragment is a cell of its own.
 * Also a `'` right there, so that every `'` after a `;` in the file is one the guard added.
 */
const FRAGMENT_TRIGGER = new RegExp(`;(${FORMULA_SIGN}|')`, "g");

/**
 * Prefixes a formula-looking value with `'` so spreadsheets show it as text,
 * and each formula-looking fragment after a `;` too (`Semi;=1+1` becomes
 * `Semi;'=1+1`): a spreadsheet that splits on `;` finds no formula either.
 *
 * A value that already starts with `'` (or has one right after a `;`) gets
 * one more, so the guard can be undone exactly: remove the `'` at the start of
 * a cell and the one after each `;`. Without it, `'=x` and `=x` were written
 * alike, and a spreadsheet hid the apostrophe of `'Quoted`.
 */
export function neutralizeCell(value: string): string {
  const inner = value.includes(";") ? value.replace(FRAGMENT_TRIGGER, ";'$1") : value;
  return FORMULA_TRIGGER.test(inner) || inner.startsWith("'") ? `'${inner}` : inner;
}

/** A `'` that the guard put after a `;`: one followed by what it guards. */
const GUARDED_FRAGMENT = new RegExp(`;'(?=${FORMULA_SIGN}|')`, "g");

/**
 * Undoes `neutralizeCell` exactly, for a file Roster exported coming back in
 * (an HR roster, an offboarding list): `'+alerts@example.com` is read as
 * `+alerts@example.com`. Only a `'` the guard would have added goes, one
 * before a formula sign or another `'`, so a hand-made `'Quoted` or
 * `o;'brien` stays as written.
 */
export function unneutralizeCell(cell: string): string {
  const inner =
    cell.startsWith("'") && (FORMULA_TRIGGER.test(cell.slice(1)) || cell.startsWith("''"))
      ? cell.slice(1)
      : cell;
  return inner.includes(";'") ? inner.replace(GUARDED_FRAGMENT, ";") : inner;
}

/** Quotes a value when RFC 4180 requires it (or it starts with `#`), doubling inner quotes. */
export function quoteCell(value: string): string {
  return NEEDS_QUOTES.test(value) || value.startsWith(STARTS_LIKE_MARKER)
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}

/** One cell: `null` is empty; neutralized before quoting, so the `'` lands inside the quotes. */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  return quoteCell(neutralizeCell(value));
}

/** One record, CRLF-terminated. */
export function csvRow(values: readonly (string | null)[]): string {
  let row = "";
  for (let i = 0; i < values.length; i++) row += (i > 0 ? "," : "") + csvCell(values[i] ?? null);
  return row + CSV_LINE_END;
}

const QUOTE = 0x22;
const LF = 0x0a;

/**
 * Counts CSV records in a byte stream as it arrives, chunk by chunk. Works on
 * raw UTF-8 bytes: `"` and LF never occur inside a multi-byte sequence, and a
 * doubled `""` toggles the quoted state twice, so only LFs outside quotes end
 * a record (a newline inside a quoted name does not).
 */
export class CsvRecordCounter {
  private inQuotes = false;
  private ended = 0;

  push(chunk: Uint8Array): void {
    // An index loop: `for...of` over the bytes allocated an iterator result per byte where V8 did not optimize it away.
    let inQuotes = this.inQuotes;
    let ended = this.ended;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === QUOTE) inQuotes = !inQuotes;
      else if (byte === LF && !inQuotes) ended += 1;
    }
    this.inQuotes = inQuotes;
    this.ended = ended;
  }

  /** Complete data rows so far: records ended, minus the header. */
  get rows(): number {
    return Math.max(0, this.ended - 1);
  }
}
