import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDb, type TestDbHandle } from "@/testing/db";

import { createExportDigest, getExportManifest, recordExport, trackExport } from "./exports";
import { verifyActivity } from "./log";

const encoder = new TextEncoder();

function streamOf(chunks: string[], failAfter?: number): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (failAfter !== undefined && i === failAfter) {
        controller.error(new DOMException("vendor failed", "AbortError"));
        return;
      }
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

const CSV = ["\uFEFFid,name\r\n", '1,"Doe, \r\nJane"\r\n2,Bo', "b\r\n3,=x\r\n"];

describe("export digest", () => {
  it("passes bytes through unchanged and hashes and counts exactly them", async () => {
    const digest = createExportDigest();
    const out = await readAll(streamOf(CSV).pipeThrough(digest.transform));
    const expected = Buffer.from(CSV.join(""), "utf8");
    expect(out.equals(expected)).toBe(true);
    expect(digest.result()).toEqual({
      rows: 3,
      bytes: expected.byteLength,
      sha256: createHash("sha256").update(expected).digest("hex"),
    });
  });
});

describe("export manifest", () => {
  let handle: TestDbHandle;
  beforeAll(async () => {
    handle = await createTestDb("pglite");
  });
  afterAll(async () => {
    await handle.close();
  });

  const start = {
    admin: "ana@example.com",
    provider: "telnyx",
    source: "vendor",
    snapshotId: null,
    filters: { status: "blocked", email: "secret@person.com", groups: true },
    columns: ["id", "email"],
  } as const;

  it("records the export at start and its hash, rows and bytes when the body ends", async () => {
    const record = await recordExport(handle.db, start);
    expect(await getExportManifest(handle.db, record.id)).toMatchObject({
      outcome: "running",
      sha256: null,
      entries: { finished: null },
    });
    const body = await readAll(trackExport(streamOf(CSV), record));
    await record.settled();
    const manifest = await getExportManifest(handle.db, record.id);
    expect(manifest).toMatchObject({
      id: record.id,
      admin: "ana@example.com",
      provider: "telnyx",
      source: "vendor",
      filters: { status: "blocked", email: true, groups: true },
      columns: ["id", "email"],
      outcome: "ok",
      rows: 3,
      bytes: body.byteLength,
      sha256: createHash("sha256").update(body).digest("hex"),
    });
    // The email filter's text is someone's address: it is never stored.
    expect(JSON.stringify(manifest)).not.toContain("secret@person.com");
    expect((await verifyActivity(handle.db)).ok).toBe(true);
  });

  it("records a failed body as failed, with what was sent before the failure", async () => {
    const record = await recordExport(handle.db, start);
    await expect(readAll(trackExport(streamOf(CSV, 2), record))).rejects.toThrow();
    await record.settled();
    expect(await getExportManifest(handle.db, record.id)).toMatchObject({
      outcome: "failed",
      rows: 1,
      error: "AbortError",
    });
  });

  it("records a client that went away as cancelled", async () => {
    const record = await recordExport(handle.db, start);
    const reader = trackExport(streamOf(CSV), record).getReader();
    await reader.read();
    await reader.cancel();
    await record.settled();
    expect(await getExportManifest(handle.db, record.id)).toMatchObject({
      outcome: "cancelled",
      rows: 0,
    });
  });

  it("has no manifest for an id that is not an export", async () => {
    expect(await getExportManifest(handle.db, 999_999)).toBeNull();
  });
});

/** `body` through trackExport, read by the test, with each end's outcome in `ends`. */
function tracked(body: ReadableStream<Uint8Array>) {
  const ends: string[] = [];
  const reader = trackExport(body, {
    id: 1,
    finish: async (end) => {
      ends.push(end.outcome);
    },
  }).getReader();
  return { reader, ends };
}

describe("trackExport", () => {
  it("passes on the last chunk a body sends before it errors (the line saying why it was cut)", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        pulls += 1;
        if (pulls === 1) controller.enqueue(encoder.encode("id\r\nu1\r\n"));
        else if (pulls === 2)
          controller.enqueue(encoder.encode("# export failed: list_changed\r\n"));
        else {
          await new Promise((resolve) => setImmediate(resolve));
          controller.error(new Error("cut"));
        }
      },
    });
    const { reader, ends } = tracked(body);
    const received: string[] = [];
    await expect(
      (async () => {
        for (;;) {
          const next = await reader.read();
          if (next.done) return;
          received.push(new TextDecoder().decode(next.value));
        }
      })(),
    ).rejects.toThrow("cut");
    expect(received).toEqual(["id\r\nu1\r\n", "# export failed: list_changed\r\n"]);
    expect(ends).toEqual(["failed"]);
  });

  it("ends once, as cancelled, when the client goes away while a chunk is on its way", async () => {
    // The activity log's own export records itself with no guard of its own: a second end was a
    // second `activity.exported` entry ("cancelled", then "failed") for one download.
    let deliver = () => {};
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise<void>((resolve) => {
          deliver = resolve;
        });
        controller.enqueue(encoder.encode("id\r\n"));
      },
    });
    const { reader, ends } = tracked(body);
    const reading = reader.read();
    await new Promise((resolve) => setImmediate(resolve));
    await reader.cancel();
    deliver();
    await reading;
    await new Promise((resolve) => setImmediate(resolve));
    expect(ends).toEqual(["cancelled"]);
  });
});
