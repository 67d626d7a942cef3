import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { csvCell, csvRow } from "@/lib/export/csv";

import { addressProblem, csvEmailEntries, normalizeEntries, parseCsv, splitEntries } from "./parse";

describe("splitEntries", () => {
  it("splits on lines, commas, semicolons and spaces", () => {
    expect(splitEntries("a@x.com\nb@x.com, c@x.com;d@x.com  e@x.com\r\n\r\nf@x.com")).toEqual([
      "a@x.com",
      "b@x.com",
      "c@x.com",
      "d@x.com",
      "e@x.com",
      "f@x.com",
    ]);
  });

  it("keeps Name <address> forms whole, quoted names with commas included", () => {
    expect(splitEntries('Ana Lopez <ana@x.com>, "Doe, Jane" <jane@x.com>; bo@x.com')).toEqual([
      "Ana Lopez <ana@x.com>",
      '"Doe, Jane" <jane@x.com>',
      "bo@x.com",
    ]);
    expect(splitEntries('"doe, jane"@contoso.com; yamada@例え.jp')).toEqual([
      '"doe, jane"@contoso.com',
      "yamada@例え.jp",
    ]);
  });

  it("reads addresses copied out of a Roster export without the formula guard's `'`", () => {
    const emails = ["+alerts@x.com", "-ops@x.com", "=calc@x.com", "@at@x.com", "'quoted@x.com"];
    const cells = emails.map((email) => csvCell(email));
    expect(cells).toEqual([
      "'+alerts@x.com",
      "'-ops@x.com",
      "'=calc@x.com",
      "'@at@x.com",
      "''quoted@x.com",
    ]);
    expect(splitEntries(cells.join("\n"))).toEqual(emails);
    expect(splitEntries(cells.join(" "))).toEqual(emails);
    expect(splitEntries("Alerts <'+alerts@x.com>, '+Ops Team <ops@x.com>")).toEqual([
      "Alerts <'+alerts@x.com>",
      "+Ops Team <ops@x.com>",
    ]);
  });

  it("keeps a `'` the guard cannot have written", () => {
    expect(splitEntries("'quoted@x.com o'brien@x.com 'ana@x.com")).toEqual([
      "'quoted@x.com",
      "o'brien@x.com",
      "'ana@x.com",
    ]);
  });

  it("gives back every token a Roster export's cells held", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z@.'+=-]{1,12}$/)), (tokens) => {
        expect(splitEntries(tokens.map((token) => csvCell(token)).join("\n"))).toEqual(tokens);
      }),
    );
  });

  it("never drops a non-blank token", () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z@.]{1,12}$/)),
        fc.constantFrom("\n", ",", ";", " "),
        (tokens, sep) => {
          expect(splitEntries(tokens.join(sep))).toEqual(tokens);
        },
      ),
    );
  });
});

describe("addressProblem", () => {
  it.each([
    ["ana@x.com", null],
    ["josé.garcía@northwind.io", null],
    ["сергей@пример.рф", null],
    ["party🎉@globex.net", null],
    ['"doe, jane"@contoso.com', null],
    ['"john \\"jj\\" smith"@globex.net', null],
    ["a<b@x.com", "characters an address cannot hold before the @"],
    ["Ana.Lopez+hr@sub.example.co", null],
    ["", "empty"],
    ["ana.x.com", "no @"],
    ["@x.com", "nothing before the @"],
    ["ana@", "no domain after the @"],
    ["ana@localhost", "the domain has no dot"],
    ["ana@-x.com", "not a valid domain after the @"],
    ["an a@x.com", "characters an address cannot hold before the @"],
    ["a..b@x.com", "characters an address cannot hold before the @"],
    [`${"a".repeat(65)}@x.com`, "more than 64 characters before the @"],
    [
      `a@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.${"e".repeat(63)}.example`,
      "longer than 254 characters",
    ],
  ])("%s: %s", (address, problem) => {
    expect(addressProblem(address)).toBe(problem);
  });
});

describe("normalizeEntries", () => {
  it("takes the address out of Name <address>, lists invalid entries with reasons, merges duplicates case-insensitively", () => {
    const result = normalizeEntries([
      "Ana Lopez <Ana@X.com>",
      "ana@x.com",
      "not-an-email",
      "bo@x.com",
      "ANA@x.COM",
      "mailto:cy@x.com",
      "Bad <nope>",
    ]);
    expect(result.emails).toEqual(["Ana@X.com", "bo@x.com", "cy@x.com"]);
    expect(result.invalid).toEqual([
      { input: "not-an-email", reason: "no @" },
      { input: "Bad <nope>", reason: "no @" },
    ]);
    expect(result.duplicates).toEqual([{ email: "Ana@X.com", count: 3 }]);
  });

  it("takes an address in Unicode's decomposed form as its composed form (NFC), and merges the two", () => {
    const composed = "josé.garcía@northwind.io".normalize("NFC");
    const decomposed = composed.normalize("NFD");
    expect(decomposed).not.toBe(composed);
    const result = normalizeEntries([decomposed, composed.toUpperCase()]);
    expect(result.emails).toEqual([composed]);
    expect(result.duplicates).toEqual([{ email: composed, count: 2 }]);
  });

  it("accounts for every entry exactly once", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.emailAddress(), fc.string())), (entries) => {
        const { emails, invalid, duplicates } = normalizeEntries(entries);
        const merged = duplicates.reduce((n, d) => n + d.count - 1, 0);
        expect(emails.length + invalid.length + merged).toBe(entries.length);
        expect(new Set(emails.map((e) => e.toLowerCase())).size).toBe(emails.length);
      }),
    );
  });
});

describe("CSV upload", () => {
  it("parses like csv-parse, quotes, CRLF and newlines in cells included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: "grapheme" }), { minLength: 2, maxLength: 2 }), {
          minLength: 1,
          maxLength: 8,
        }),
        (rows) => {
          const text = rows.map((row) => csvRow(row)).join("");
          expect(parseCsv(text)).toEqual(parse(text, { relax_column_count: true }));
        },
      ),
    );
  });

  it("reads the email column wherever it is, keeping blank cells to report them", () => {
    const text = '\uFEFFname,Email\r\nAna,ana@x.com\r\n"Doe, Jane",\r\n,,\r\nBo,"bo@x.com"\r\n';
    expect(csvEmailEntries(text)).toEqual({ ok: true, entries: ["ana@x.com", "", "bo@x.com"] });
  });

  it("reads a list Roster exported as the addresses it holds, without the formula guard's `'`", () => {
    const emails = ["+alerts@x.com", "-ops@x.com", "'quoted@x.com", "ana@x.com"];
    const text =
      csvRow(["id", "email"]) + emails.map((email, i) => csvRow([`u${i}`, email])).join("");
    expect(text).toContain("'+alerts@x.com");
    expect(csvEmailEntries(text)).toEqual({ ok: true, entries: emails });
  });

  it("says when there is no email column", () => {
    expect(csvEmailEntries("name,mail\nAna,ana@x.com\n")).toEqual({
      ok: false,
      message: "The file has no “email” column in its first row.",
    });
    expect(csvEmailEntries("")).toMatchObject({ ok: false });
  });
});
