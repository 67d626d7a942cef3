import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { CSV_INJECTION_PAYLOADS } from "@/testing/csv-injection-payloads";

import {
  CSV_BOM,
  CsvRecordCounter,
  csvCell,
  csvRow,
  neutralizeCell,
  quoteCell,
  unneutralizeCell,
} from "./csv";

const encoder = new TextEncoder();

function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false }) as string[][];
}

describe("quoteCell", () => {
  it("leaves plain values alone", () => {
    expect(quoteCell("Ann Lee")).toBe("Ann Lee");
    expect(quoteCell("")).toBe("");
  });

  it("quotes commas, quotes, CR and LF, doubling inner quotes", () => {
    expect(quoteCell("Lee, Ann")).toBe('"Lee, Ann"');
    expect(quoteCell('Ann "Nan" Lee')).toBe('"Ann ""Nan"" Lee"');
    expect(quoteCell("two\nlines")).toBe('"two\nlines"');
    expect(quoteCell("two\r\nlines")).toBe('"two\r\nlines"');
  });

  it("quotes a value that starts with #, so no record reads like the failure line", () => {
    expect(quoteCell("#roster-export-failed:list_changed")).toBe(
      '"#roster-export-failed:list_changed"',
    );
    expect(quoteCell("#1 fan")).toBe('"#1 fan"');
    expect(quoteCell("Team #1")).toBe("Team #1");
  });
});

describe("neutralizeCell", () => {
  it.each([
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\tx",
    "\rx",
    '=HYPERLINK("http://x")',
    " =x",
    "\u00a0+1 555",
    "＝1",
  ])("prefixes %j with a quote", (value) => {
    expect(neutralizeCell(value)).toBe(`'${value}`);
  });

  it.each(["ann@example.com", "a=b", "1-2", " x=", "", "o'quoted", "a; b", "a; 'b"])(
    "leaves %j alone",
    (value) => {
      expect(neutralizeCell(value)).toBe(value);
    },
  );

  it("doubles an apostrophe that starts the value or follows a `;`", () => {
    // Written alone, `'quoted` shows as "quoted" in a spreadsheet, and `'=x` reads back as `=x`.
    expect(neutralizeCell("'quoted")).toBe("''quoted");
    expect(neutralizeCell("'=x@example.com")).toBe("''=x@example.com");
    expect(neutralizeCell("a;'b")).toBe("a;''b");
  });

  it("can be undone exactly: remove the `'` at the start and the one after each `;`", () => {
    const undo = (cell: string) => cell.replace(/^'/, "").replaceAll(";'", ";");
    for (const value of ["'=x", "=x", "'", "''", ";'", "';=1", "a;'=1", "a;=1", "Semi;=1+1;'x"]) {
      expect(undo(neutralizeCell(value)), JSON.stringify(value)).toBe(value);
      expect(unneutralizeCell(neutralizeCell(value)), JSON.stringify(value)).toBe(value);
    }
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("'", ";", "=", "+", " ", "\t", "a", "＝") }),
        (value) =>
          undo(neutralizeCell(value)) === value &&
          unneutralizeCell(neutralizeCell(value)) === value,
      ),
    );
  });
});

describe("unneutralizeCell", () => {
  it("drops the guard's `'` from an exported value", () => {
    expect(unneutralizeCell("'+alerts@example.com")).toBe("+alerts@example.com");
    expect(unneutralizeCell("'-ops@example.com")).toBe("-ops@example.com");
    expect(unneutralizeCell("'''quoted")).toBe("''quoted");
    expect(unneutralizeCell("Semi;'=1+1")).toBe("Semi;=1+1");
  });

  it.each(["'Quoted", "o'brien@example.com", "o;'brien", "a; 'b", "'", "ann@example.com", ""])(
    "leaves %j, which the guard cannot have written, as it is",
    (value) => {
      expect(unneutralizeCell(value)).toBe(value);
    },
  );
});

describe("csvCell", () => {
  it("neutralizes before quoting so the prefix sits inside the quotes", () => {
    expect(csvCell('=cmd|" /C calc"!A0')).toBe(`"'=cmd|"" /C calc""!A0"`);
    expect(csvCell("-1,2")).toBe(`"'-1,2"`);
    expect(csvCell("\rx")).toBe(`"'\rx"`);
  });

  it("writes null as an empty cell", () => {
    expect(csvCell(null)).toBe("");
  });
});

describe("csvRow", () => {
  it("joins with commas and ends with CRLF", () => {
    expect(csvRow(["a", null, "b c"])).toBe("a,,b c\r\n");
  });

  it("round-trips awkward values through csv-parse", () => {
    const rows = [
      ["id", "name"],
      ["1", 'Zoë "Z" O\'Brien, Jr.'],
      ["2", "line one\nline two\r\nline three"],
      ["3", "李雷 👩🏽‍💻 Ольга"],
      ["4", ""],
      ["5", "trailing space "],
    ];
    const text = CSV_BOM + rows.map((r) => csvRow(r)).join("");
    expect(parseCsv(text)).toEqual(rows);
  });

  it("round-trips any string: what a parser reads back is the neutralized value", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: "grapheme" }), { minLength: 2, maxLength: 2 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (rows) => {
          const text = rows.map((r) => csvRow(r)).join("");
          const parsed = parse(text, { relax_quotes: false }) as string[][];
          expect(parsed).toEqual(rows.map((r) => r.map(neutralizeCell)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("CsvRecordCounter", () => {
  const text =
    CSV_BOM +
    csvRow(["id", "name"]) +
    csvRow(["1", "multi\nline\r\nname"]) +
    csvRow(["2", 'quote " and, comma']) +
    csvRow(["3", "Ольга 👩🏽‍💻"]);

  it("counts records, not lines, and excludes the header", () => {
    const counter = new CsvRecordCounter();
    counter.push(encoder.encode(text));
    expect(counter.rows).toBe(3);
  });

  it("gives the same count whatever the chunk boundaries", () => {
    const bytes = encoder.encode(text);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }),
        (cuts) => {
          const counter = new CsvRecordCounter();
          const bounds = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          for (let i = 0; i + 1 < bounds.length; i += 1) {
            counter.push(bytes.subarray(bounds[i], bounds[i + 1]));
          }
          expect(counter.rows).toBe(3);
        },
      ),
    );
  });

  it("does not count a record until its line end arrives", () => {
    const counter = new CsvRecordCounter();
    counter.push(encoder.encode('id,name\r\n1,"open\n'));
    expect(counter.rows).toBe(0);
    counter.push(encoder.encode('quote"\r\n'));
    expect(counter.rows).toBe(1);
  });
});

describe("CSV injection payloads", () => {
  const triggers = /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r]/;

  it.each(CSV_INJECTION_PAYLOADS)(
    "neutralizes %j in comma and semicolon spreadsheets",
    (payload) => {
      const line = csvRow(["id-1", payload, "last"]);
      // A comma spreadsheet: three cells, the payload's cell shown as text.
      const [commas] = parse(line, { delimiter: "," }) as string[][];
      expect(commas).toHaveLength(3);
      expect(commas![1]).not.toMatch(triggers);
      expect(commas![1]!.replaceAll(";'", ";").replace(/^'/, "")).toBe(payload);
      // A semicolon spreadsheet splits the line at each `;`, quotes or not: no piece is a formula.
      const [semis] = parse(line, { delimiter: ";", relax_quotes: true }) as string[][];
      for (const cell of semis!) expect(cell, JSON.stringify(semis)).not.toMatch(triggers);
    },
  );

  it("quotes a cell holding a semicolon or a tab", () => {
    expect(csvCell("Engineering; Ops")).toBe('"Engineering; Ops"');
    expect(csvCell("a\tb")).toBe('"a\tb"');
    expect(csvCell("Semi;=1+1;colon")).toBe(`"Semi;'=1+1;colon"`);
  });
});
