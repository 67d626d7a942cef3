/**
 * Reading leavers' addresses. Pure and browser-safe on purpose: the page splits
 * what was pasted or uploaded into entries with the same code the route then
 * validates them with, so both always agree on what an entry is.
 */
import { MAX_EMAIL_LENGTH } from "@/lib/api/query-params";
import { unneutralizeCell } from "@/lib/export/csv";

import type { Duplicate, InvalidEntry } from "./schema";

const MAX_LOCAL_LENGTH = 64;
/** An `Name <address>` entry: the address is what sits in the last angle brackets. */
const NAMED = /^(.*)<([^<>]*)>$/s;
/**
 * Internationalized addresses (RFC 6531) are real vendor users, so letters,
 * marks, digits and symbols of any script count, emoji included; and a quoted
 * local part (`"doe, jane"@x.com`) may hold anything but a bare quote.
 */
const ATOM = "(?:(?![<>])[\\p{L}\\p{M}\\p{N}\\p{S}\\u200d!#$%&'*+/=?^_`{|}~-])+";
const DOT_ATOM = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`, "u");
const QUOTED = /^"(?:[^"\\]|\\[\s\S])*"$/;
const LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?$/u;

/**
 * Splits pasted text into entries: one per line, or separated by commas,
 * semicolons or spaces. `Name <address>` and `"Doe, Jane" <address>` stay one
 * entry: separators inside double quotes or angle brackets do not split.
 * Each entry loses the formula guard's `'` as a CSV cell does
 * (`csvEmailEntries`): a column copied out of a Roster export as text holds
 * `'+alerts@x.com`, which no vendor knows, so that leaver would read as clean.
 */
export function splitEntries(text: string): string[] {
  const chunks: string[] = [];
  let current = "";
  let inQuotes = false;
  let inAngle = false;
  for (const char of text) {
    if (char === '"' && !inAngle) inQuotes = !inQuotes;
    else if (char === "<" && !inQuotes) inAngle = true;
    else if (char === ">" && !inQuotes) inAngle = false;
    if (!inQuotes && !inAngle && /[\n\r,;]/.test(char)) {
      chunks.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  chunks.push(current);

  const entries: string[] = [];
  for (const chunk of chunks) {
    const trimmed = chunk.trim();
    if (trimmed === "") continue;
    // A chunk with a name keeps its spaces; a bare chunk may hold several addresses.
    if (trimmed.includes("<") || trimmed.includes('"')) entries.push(trimmed);
    else entries.push(...trimmed.split(/\s+/));
  }
  return entries.map((entry) => unneutralizeCell(entry).trim());
}

/** RFC 4180 records (quoted fields, doubled quotes, CRLF or LF); a leading BOM is ignored. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let inQuotes = false;
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const char = input[i];
    if (inQuotes) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') inQuotes = false;
      else field += char;
    } else if (char === '"' && field === "") inQuotes = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && input[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * The `email` column of an uploaded CSV as entries, one per data row (a blank
 * cell stays as an entry so that it is reported, not dropped), or why the file
 * cannot be read.
 */
export function csvEmailEntries(
  text: string,
): { ok: true; entries: string[] } | { ok: false; message: string } {
  const rows = parseCsv(text).filter((row) => row.some((cell) => cell.trim() !== ""));
  const header = rows[0];
  if (!header) return { ok: false, message: "The file is empty." };
  const column = header.findIndex((name) => name.trim().toLowerCase() === "email");
  if (column === -1) {
    return { ok: false, message: "The file has no “email” column in its first row." };
  }
  // A list exported from Roster carries the formula guard's `'` (lib/export/csv.ts).
  return {
    ok: true,
    entries: rows.slice(1).map((row) => unneutralizeCell(row[column] ?? "").trim()),
  };
}

/** Why `address` is not an email address, or null when it is one. */
export function addressProblem(address: string): string | null {
  if (address === "") return "empty";
  if (address.length > MAX_EMAIL_LENGTH) return `longer than ${MAX_EMAIL_LENGTH} characters`;
  const at = address.lastIndexOf("@");
  if (at === -1) return "no @";
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local === "") return "nothing before the @";
  if (local.length > MAX_LOCAL_LENGTH)
    return `more than ${MAX_LOCAL_LENGTH} characters before the @`;
  if (!DOT_ATOM.test(local) && !QUOTED.test(local)) {
    return "characters an address cannot hold before the @";
  }
  if (domain === "") return "no domain after the @";
  const labels = domain.split(".");
  if (labels.length < 2) return "the domain has no dot";
  if (!labels.every((label) => LABEL.test(label))) return "not a valid domain after the @";
  return null;
}

export interface NormalizedEntries {
  /** Unique addresses (case-insensitively), as first written, in input order. */
  emails: string[];
  invalid: InvalidEntry[];
  duplicates: Duplicate[];
}

/**
 * Validates entries (`address` or `Name <address>`), lists each invalid one
 * with its reason and merges duplicates case-insensitively, saying how many
 * times each was given. Addresses come out in Unicode's composed form (NFC),
 * the form vendors store: `jose` + a combining accent, as some systems copy
 * it, is `josé`, and would otherwise be looked up as another address.
 */
export function normalizeEntries(entries: readonly string[]): NormalizedEntries {
  const emails: string[] = [];
  const invalid: InvalidEntry[] = [];
  const seen = new Map<string, { email: string; count: number }>();
  for (const input of entries) {
    const trimmed = input.trim();
    const named = NAMED.exec(trimmed);
    const address = (named ? (named[2] ?? "") : trimmed)
      .trim()
      .replace(/^mailto:/i, "")
      .normalize("NFC");
    const problem = addressProblem(address);
    if (problem) {
      invalid.push({ input, reason: problem });
      continue;
    }
    const key = address.toLowerCase();
    const known = seen.get(key);
    if (known) {
      known.count += 1;
      continue;
    }
    seen.set(key, { email: address, count: 1 });
    emails.push(address);
  }
  const duplicates = [...seen.values()]
    .filter((entry) => entry.count > 1)
    .map(({ email, count }) => ({ email, count }));
  return { emails, invalid, duplicates };
}

/**
 * An address in both Unicode forms, composed (as the check holds it) and
 * decomposed, once each: a vendor matches code points, and one that stored
 * `josé` as `jose` + U+0301 finds it only when asked in that form.
 */
export function unicodeForms(email: string): string[] {
  const decomposed = email.normalize("NFD");
  return decomposed === email ? [email] : [email, decomposed];
}
