import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { CSV_INJECTION_PAYLOADS } from "@/testing/csv-injection-payloads";

import { CSV_BOM, csvRow } from "./csv";
import { CsvBytes } from "./csv-bytes";

const encoder = new TextEncoder();

function bytesOf(rows: readonly (readonly (string | null)[])[], initialBytes?: number): Uint8Array {
  const out = new CsvBytes(initialBytes);
  for (const row of rows) {
    row.forEach((value, i) => out.cell(value, i === 0));
    out.endRow();
  }
  return out.take();
}

function expected(rows: readonly (readonly (string | null)[])[]): Uint8Array {
  return encoder.encode(rows.map((row) => csvRow(row)).join(""));
}

describe("CsvBytes", () => {
  it("writes exactly the bytes of csvRow", () => {
    const rows = [
      ["id", "email", "created_at"],
      ["0b6c…", "ann@example.com", "2024-05-01T09:30:00.000Z"],
      ["2", null, ""],
      ["3", 'Zoë "Z" O\'Brien, Jr.', "line one\nline two\r\nthree"],
      ["4", "李雷 👩🏽‍💻 Ольга", " leading space"],
      ["5", "-1", "a;b"],
      ["6", "tab\there", "\u00a0+1 555"],
      ["7", "lone \ud800 surrogate", "~!#$%^&*()_{}|:<>?[]\\/'`"],
      ["8", "'quoted", "O'Brien"],
    ];
    expect(bytesOf(rows)).toEqual(expected(rows));
  });

  it("writes every injection payload as csvRow does", () => {
    const rows = CSV_INJECTION_PAYLOADS.map((payload) => ["id-1", payload, "last"]);
    expect(bytesOf(rows)).toEqual(expected(rows));
  });

  it("writes any row as csvRow does, whatever the buffer's first size", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.option(fc.string({ unit: "binary" })), { minLength: 1, maxLength: 4 }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.integer({ min: 1, max: 64 }),
        (rows, initialBytes) => {
          expect(bytesOf(rows, initialBytes)).toEqual(expected(rows));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("hands out each chunk on its own and starts the next one empty", () => {
    const out = new CsvBytes(4);
    out.text(CSV_BOM);
    out.cell("id", true);
    out.endRow();
    const first = out.take();
    out.cell("a-much-longer-value-than-the-buffer", true);
    out.endRow();
    const second = out.take();
    expect(first).toEqual(encoder.encode(`${CSV_BOM}id\r\n`));
    expect(second).toEqual(encoder.encode("a-much-longer-value-than-the-buffer\r\n"));
    expect(out.take()).toEqual(new Uint8Array(0));
  });
});
