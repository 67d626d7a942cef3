import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { selectRows } from "@/lib/db/select-rows";
import { createTestDb, TEST_DB_KINDS, type TestDbHandle } from "@/testing/db";

/** Every byte value, a UTF-8 byte order mark first (text columns may drop it), and a zero byte last. */
const EVERY_BYTE = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i)),
]);

describe.each(TEST_DB_KINDS)("bytea on %s", (kind) => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb(kind);
    await handle.db.execute(sql`create table bytes_test (id int primary key, b bytea)`);
  });
  afterAll(() => handle.close());

  async function roundTrip(id: number, bytes: Uint8Array): Promise<Uint8Array | null> {
    await handle.db.execute(sql`insert into bytes_test (id, b) values (${id}, ${bytes})`);
    const [row] = await selectRows<{ b: Uint8Array | null; n: number }>(
      handle.db,
      sql`select b, octet_length(b) as n from bytes_test where id = ${id}`,
    );
    // The database holds the bytes themselves, not a text form of them.
    expect(Number(row?.n)).toBe(bytes.length);
    return row?.b ?? null;
  }

  it("stores and reads back the exact bytes", async () => {
    expect(Buffer.from((await roundTrip(1, EVERY_BYTE))!)).toEqual(EVERY_BYTE);
    expect(Buffer.from((await roundTrip(2, new Uint8Array(0)))!)).toEqual(Buffer.alloc(0));
    const large = randomBytes(3 * 2 ** 20);
    expect(Buffer.from((await roundTrip(3, large))!).equals(large)).toBe(true);
    // A view into a larger buffer: only its own bytes.
    const view = new Uint8Array(EVERY_BYTE.buffer, EVERY_BYTE.byteOffset + 3, 10);
    expect(Buffer.from((await roundTrip(4, view))!)).toEqual(EVERY_BYTE.subarray(3, 13));
  });
});
