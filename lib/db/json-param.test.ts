import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { selectRows } from "@/lib/db/select-rows";
import { createTestDb, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";

import { jsonbArray, JsonbScratch } from "./json-param";

/** Text that takes every path of a UTF-8 encoder: ASCII, two-, three- and four-byte characters, escapes. */
const ITEMS: unknown[] = [
  { name: "Zoë Ångström", quote: 'say "hi"\\ now', tab: "a\tb" },
  { name: "अनन्या शर्मा", emoji: "🙂 ok", nested: [1, null, true, { deep: "日本" }] },
  "plain",
  42,
  null,
];

describe.each(TEST_DB_KINDS)("jsonbArray on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
  });
  afterAll(() => handle.close());

  async function roundTrip(items: unknown[]): Promise<unknown> {
    const texts = items.map((item) => JSON.stringify(item));
    const rows = await selectRows<{ value: unknown }>(
      handle.db,
      sql`select ${jsonbArray(texts)} as value`,
    );
    return rows[0]?.value;
  }

  it("reaches the database as exactly the JSON array of its items", async () => {
    expect(await roundTrip(ITEMS)).toEqual(ITEMS);
  });

  it("is an empty array for no items", async () => {
    expect(await roundTrip([])).toEqual([]);
  });

  it("is read by jsonb_populate_recordset row by row, non-ASCII text intact", async () => {
    const rows = [
      { id: "u1", name: "Zoë" },
      { id: "u2", name: "अनन्या 🙂" },
    ];
    const result = await selectRows<{ id: string; name: string }>(
      handle.db,
      sql`select * from jsonb_to_recordset(${jsonbArray(
        rows.map((row) => JSON.stringify(row)),
      )}) as x(id text, name text)`,
    );
    expect(result).toEqual(rows);
  });

  it("reuses one scratch buffer from statement to statement, each page intact", async () => {
    const scratch = new JsonbScratch();
    const pages = [ITEMS, ["short"], [...ITEMS, ...ITEMS, "longer than the first"], []];
    for (const page of pages) {
      const rows = await selectRows<{ value: unknown }>(
        handle.db,
        sql`select ${jsonbArray(
          page.map((item) => JSON.stringify(item)),
          scratch,
        )} as value`,
      );
      expect(rows[0]?.value).toEqual(page);
    }
  });

  it("binds UTF-8 bytes (jsonb's binary form), exactly the text's", () => {
    const query = new PgDialect().sqlToQuery(jsonbArray(['{"a":"é"}', '"🙂"']));
    const [param] = query.params;
    expect(Buffer.isBuffer(param)).toBe(true);
    const bytes = param as Buffer;
    expect(bytes[0]).toBe(1);
    // Exactly the text's bytes: nothing left over in the buffer.
    expect(bytes.subarray(1).toString("utf8")).toBe('[{"a":"é"},"🙂"]');
    expect(bytes.length).toBe(1 + Buffer.byteLength('[{"a":"é"},"🙂"]'));
  });

  it("still takes jsonb given as text or as a value (the driver's own serializer)", async () => {
    const rows = await selectRows<{ text: unknown; value: unknown }>(
      handle.db,
      sql`select ${'{"a":"é"}'}::jsonb as text, ${{ b: [1, "🙂"] }}::jsonb as value`,
    );
    expect(rows[0]).toEqual({ text: { a: "é" }, value: { b: [1, "🙂"] } });
  });
});

describe("JsonbScratch", () => {
  it("hands out views of one buffer, growing it only for a larger page", () => {
    const scratch = new JsonbScratch();
    const first = scratch.take(100);
    const smaller = scratch.take(40);
    expect(first).toHaveLength(100);
    expect(smaller).toHaveLength(40);
    expect(smaller.buffer).toBe(first.buffer);
    expect(smaller.byteOffset).toBe(first.byteOffset);
    const larger = scratch.take(150);
    expect(larger).toHaveLength(150);
    // Doubled, so a page slightly larger each time does not allocate every time.
    expect(scratch.take(200).buffer).toBe(larger.buffer);
  });
});
