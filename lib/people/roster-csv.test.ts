import { describe, expect, it } from "vitest";

import { csvRow } from "@/lib/export/csv";

import { parseRosterCsv, ROSTER_MAX_ERRORS, ROSTER_MAX_ROWS } from "./roster-csv";

describe("parseRosterCsv", () => {
  it("reads comma or semicolon files, with or without BOM, headers in any case and order", () => {
    for (const text of [
      "\uFEFFEMAIL,Name,END_DATE,Status\r\n Ana@X.com ,Ana Li,2026-01-31,LEFT\r\n",
      "status;end_date;name;email\nleft;2026-01-31;Ana Li;Ana@X.com\n",
    ]) {
      const parsed = parseRosterCsv(text);
      expect(parsed).toEqual({
        ok: true,
        rows: [
          {
            line: 2,
            email: "Ana@X.com",
            emailKey: "ana@x.com",
            name: "Ana Li",
            department: null,
            manager: null,
            status: "left",
            endDate: "2026-01-31",
          },
        ],
      });
    }
  });

  it("reads a roster Roster exported as written, without the formula guard's `'`", () => {
    const text =
      csvRow(["email", "name", "department"]) +
      csvRow(["+alerts@x.com", "=Ops", "Sales;-EMEA"]) +
      csvRow(["o'brien@x.com", "'Quoted", "R&D"]);
    expect(text).toContain("'+alerts@x.com");
    const parsed = parseRosterCsv(text);
    expect(parsed.ok && parsed.rows.map((r) => [r.email, r.name, r.department])).toEqual([
      ["+alerts@x.com", "=Ops", "Sales;-EMEA"],
      ["o'brien@x.com", "'Quoted", "R&D"],
    ]);
  });

  it("ignores unknown columns and blank lines, and keeps commas inside quotes", () => {
    const parsed = parseRosterCsv('email,cost_center,name\n\na@x.com,42,"Li, Ana"\n');
    expect(parsed.ok && parsed.rows.map((r) => [r.line, r.name])).toEqual([[3, "Li, Ana"]]);
  });

  it("takes a line of spaces or tabs as blank, before the header and between rows", () => {
    const parsed = parseRosterCsv(" \t\nemail;name\n  \na@x.com;Li, Ana\n\t\nb@x.com;Bo\n   ");
    expect(parsed.ok && parsed.rows.map((r) => [r.line, r.email, r.name])).toEqual([
      [4, "a@x.com", "Li, Ana"],
      [6, "b@x.com", "Bo"],
    ]);
  });

  it("finds the separator on the header line after blank lines, as it reads the header there", () => {
    for (const text of [
      "\nemail;name\na@x.com;Li, Ana\n",
      "\r\n\r\nemail;name\r\na@x.com;Li, Ana\r\n",
    ]) {
      const parsed = parseRosterCsv(text);
      expect(parsed.ok && parsed.rows.map((r) => [r.line, r.email, r.name])).toEqual([
        [text.startsWith("\r") ? 4 : 3, "a@x.com", "Li, Ana"],
      ]);
    }
  });

  it("numbers lines from the start of a record that spans lines", () => {
    const parsed = parseRosterCsv('email,name\na@x.com,"two\nlines"\nnope,x\n');
    expect(parsed).toMatchObject({ ok: false, errors: [{ line: 4, column: "email" }] });
  });

  it.each([
    ["name\nAna\n", { line: 1, column: "email", reason: "the header has no email column" }],
    ["email\n", { line: 2, column: null, reason: "the roster has no rows" }],
    ["email,email\na@x.com,b@x.com\n", { line: 1, column: "email" }],
    ["email,name\na@x.com\n", { line: 2, column: null, reason: "has 1 fields; the header has 2" }],
    ['email\n"a@x.com\n', { line: 2, column: null }],
    ["email,end_date\na@x.com,2026-02-30\n", { line: 2, column: "end_date" }],
    ["email,end_date\na@x.com,0000-01-01\n", { line: 2, column: "end_date" }],
    ['email,name\r\nbad,"a\r\nb"\r\n', { line: 2, column: "email" }],
    ['email,name\r\nok@x.com,"a\r\nb\r\nc"\r\nbad,x\r\n', { line: 5, column: "email" }],
    ["email,name\r\nok@x.com,Ana\r\nbo@x.com,B\0o\r\n", { line: 3, column: null }],
    ["email,status\na@x.com,retired\n", { line: 2, column: "status" }],
    ["email\n,\n", { line: 2 }],
  ])("rejects %j", (text, error) => {
    const parsed = parseRosterCsv(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors[0]).toMatchObject(error);
  });

  it("lists the first errors only, and says how many there are", () => {
    const lines = Array.from({ length: 150 }, () => "not-an-email");
    const parsed = parseRosterCsv(`email\n${lines.join("\n")}\n`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toHaveLength(ROSTER_MAX_ERRORS);
    expect(parsed.message).toContain("150 errors");
  });

  it("refuses more rows than it takes, and counts them with separators", () => {
    const lines = Array.from({ length: ROSTER_MAX_ROWS + 1 }, (_, i) => `p${i}@x.com`);
    const parsed = parseRosterCsv(`email\n${lines.join("\n")}\n`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toBe(
      "The roster has 100,001 rows; at most 100,000 are accepted. Nothing was imported.",
    );
    expect(parsed.errors).toEqual([
      { line: 1, column: null, reason: "the roster has 100,001 rows; at most 100,000" },
    ]);
  });
});
