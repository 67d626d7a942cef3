/**
 * CSV serialization (RFC 4180) with OWASP CSV-injection neutralization. No
 * server imports: the browser's record counter lives here too.
 */

/** Spreadsheet apps read the file as UTF-8 (names in any script, emoji) only when it starts with this. */
export const CSV_BOM = "\uFEFF";
export const CSV_LINE_END = "\r\n";

/** A cell starting with one of these is read as a formula by spreadsheet apps (OWASP "CSV Injection"). */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Prefixes a formula-looking value with `'` so spreadsheets show it as text. */
export function neutralizeCell(value: string): string {
  return FORMULA_TRIGGER.test(value) ? `'${value}` : value;
}

/** Quotes a value when RFC 4180 requires it, doubling inner quotes. */
export function quoteCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Either rule applies: the common plain cell passes with one test. */
const SPECIAL = /^[=+\-@\t\r]|[",\r\n]/;

/** One cell: `null` is empty; neutralized before quoting, so the `'` lands inside the quotes. */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  return SPECIAL.test(value) ? quoteCell(neutralizeCell(value)) : value;
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
    for (const byte of chunk) {
      if (byte === QUOTE) this.inQuotes = !this.inQuotes;
      else if (byte === LF && !this.inQuotes) this.ended += 1;
    }
  }

  /** Complete data rows so far: records ended, minus the header. */
  get rows(): number {
    return Math.max(0, this.ended - 1);
  }
}
