import "server-only";

import { CsvError, parse } from "csv-parse/sync";

import { parseCalendarDate } from "@/lib/api/dates";
import { unneutralizeCell } from "@/lib/export/csv";
import { formatCount } from "@/lib/users/format-count";

import { ROSTER_STATUSES, type RosterEntry, type RosterRowError } from "./schema";

export const ROSTER_MAX_ROWS = 100_000;
/** 100,000 rows of about 200 bytes, with room to spare. */
export const ROSTER_MAX_BYTES = 20 * 1024 * 1024;
/** Errors listed in a response; the message gives the full count. */
export const ROSTER_MAX_ERRORS = 100;

const COLUMNS = ["email", "name", "department", "manager", "status", "end_date"] as const;
type Column = (typeof COLUMNS)[number];

export interface RosterRow extends RosterEntry {
  emailKey: string;
  line: number;
}

export type RosterParse =
  { ok: true; rows: RosterRow[] } | { ok: false; message: string; errors: RosterRowError[] };

const EMAIL = /^[^\s@]+@[^\s@]+$/;
function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/**
 * Comma unless the header line has more semicolons than commas (spreadsheets in many locales).
 * The header is the first line that is not blank (empty, or only spaces and tabs).
 */
function detectDelimiter(text: string): "," | ";" {
  const body = text.replace(/^(?:[ \t]*(?:\r?\n|\r))+/, "");
  const end = body.search(/\r?\n|\r/);
  const header = end === -1 ? body : body.slice(0, end);
  const count = (char: string) => header.split(char).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

function failed(errors: RosterRowError[], message?: string): RosterParse {
  const total = errors.length;
  return {
    ok: false,
    message:
      message ??
      `The roster has ${formatCount(total)} error${total === 1 ? "" : "s"}${total > ROSTER_MAX_ERRORS ? ` (the first ${formatCount(ROSTER_MAX_ERRORS)} are listed)` : ""}; nothing was imported.`,
    errors: errors.slice(0, ROSTER_MAX_ERRORS),
  };
}

/**
 * Parses and validates an HR roster: UTF-8 text (a BOM is dropped), comma or
 * semicolon separated, header names matched case-insensitively, `email`
 * required. Any error fails the whole file, so a roster is imported entirely
 * or not at all.
 */
export function parseRosterCsv(text: string): RosterParse {
  const nul = text.indexOf("\0");
  if (nul !== -1) {
    const line = countMatches(text.slice(0, nul), /\r\n|\r|\n/g) + 1;
    return failed([
      { line, column: null, reason: "holds a NUL character (is the file a CSV export?)" },
    ]);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text.replace(/^\uFEFF/, "")),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === "number" ? error.lines : 1;
      return failed([{ line, column: null, reason: "the CSV is malformed (unbalanced quotes?)" }]);
    }
    throw error;
  }
  // A line of only spaces or tabs is as blank as an empty one (the parser skips only those).
  const [header, ...body] = records.filter(
    ({ record }) => !(record.length === 1 && /^[ \t]*$/.test(record[0] ?? "")),
  );
  if (!header) return failed([{ line: 1, column: null, reason: "the file is empty" }]);

  const positions = new Map<Column, number>();
  const headerErrors: RosterRowError[] = [];
  header.record.forEach((cell, index) => {
    const name = cell.trim().toLowerCase() as Column;
    if (!COLUMNS.includes(name)) return;
    if (positions.has(name)) {
      headerErrors.push({ line: 1, column: name, reason: `the column "${name}" appears twice` });
    }
    positions.set(name, index);
  });
  if (!positions.has("email")) {
    headerErrors.push({ line: 1, column: "email", reason: "the header has no email column" });
  }
  if (headerErrors.length > 0) return failed(headerErrors);
  if (body.length === 0)
    return failed([{ line: 2, column: null, reason: "the roster has no rows" }]);
  if (body.length > ROSTER_MAX_ROWS) {
    return failed(
      [
        {
          line: 1,
          column: null,
          reason: `the roster has ${formatCount(body.length)} rows; at most ${formatCount(ROSTER_MAX_ROWS)}`,
        },
      ],
      `The roster has ${formatCount(body.length)} rows; at most ${formatCount(ROSTER_MAX_ROWS)} are accepted. Nothing was imported.`,
    );
  }

  const errors: RosterRowError[] = [];
  const rows: RosterRow[] = [];
  const seen = new Map<string, number>();
  // csv-parse counts a CRLF inside quotes as two lines, for this record and every later one.
  let overcounted = 0;
  for (const { record, info } of body) {
    // It reports the record's last line; a quoted line break makes the record start earlier.
    let breaks = 0;
    for (const cell of record) {
      overcounted += countMatches(cell, /\r\n/g);
      breaks += countMatches(cell, /\r\n|\r|\n/g);
    }
    const line = info.lines - overcounted - breaks;
    const cell = (column: Column): string | null => {
      const index = positions.get(column);
      const raw = index === undefined ? undefined : record[index];
      // A roster exported from Roster carries the formula guard's `'` (lib/export/csv.ts).
      const value = raw === undefined ? undefined : unneutralizeCell(raw).trim();
      return value ? value : null;
    };
    if (record.length !== header.record.length) {
      errors.push({
        line,
        column: null,
        reason: `has ${record.length} fields; the header has ${header.record.length}`,
      });
      continue;
    }
    const email = cell("email");
    if (email === null) {
      errors.push({ line, column: "email", reason: "is empty" });
      continue;
    }
    if (email.length > 254 || !EMAIL.test(email)) {
      errors.push({
        line,
        column: "email",
        reason: `"${email.slice(0, 80)}" is not an email address`,
      });
      continue;
    }
    const emailKey = email.toLowerCase();
    const first = seen.get(emailKey);
    if (first !== undefined) {
      errors.push({ line, column: "email", reason: `duplicate of line ${first}` });
      continue;
    }
    seen.set(emailKey, line);
    const statusText = cell("status")?.toLowerCase() ?? null;
    if (statusText !== null && !(ROSTER_STATUSES as readonly string[]).includes(statusText)) {
      errors.push({ line, column: "status", reason: `must be ${ROSTER_STATUSES.join(" or ")}` });
      continue;
    }
    const endDate = cell("end_date");
    if (endDate !== null && !parseCalendarDate(endDate)) {
      errors.push({ line, column: "end_date", reason: "must be a date as YYYY-MM-DD" });
      continue;
    }
    rows.push({
      line,
      email,
      emailKey,
      name: cell("name"),
      department: cell("department"),
      manager: cell("manager"),
      status: statusText as RosterRow["status"],
      endDate,
    });
  }
  return errors.length > 0 ? failed(errors) : { ok: true, rows };
}
