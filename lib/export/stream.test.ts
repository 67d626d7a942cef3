import { parse } from "csv-parse/sync";
import { describe, expect, it, vi } from "vitest";

import { ApiError } from "@/lib/api/errors";
import type { ExportUsersInput } from "@/lib/providers/types";
import type { User } from "@/lib/users/schema";

import { EXPORT_COLUMNS } from "./columns";
import { exportFailureCode, exportFailureLine } from "./failure";
import { midwayFailuresAsApiErrors, startCsvExport, type CsvExportSettled } from "./stream";

function user(n: number): User {
  return {
    id: `user_${n}`,
    provider: "openai",
    email: `u${n}@example.com`,
    name: n % 2 ? `Name, ${n}` : `=HACK(${n})`,
    status: "enabled",
    role: "reader",
    createdAt: "2024-01-02T03:04:05.000Z",
    lastActiveAt: null,
    groups: null,
    vendor: {},
  };
}

function batches(count: number, size: number, from = 0): User[][] {
  return Array.from({ length: count }, (_, b) =>
    Array.from({ length: size }, (_, i) => user(from + b * size + i)),
  );
}

/** A fake adapter over fixed batches that records what the export asked of it. */
function fakeAdapter(
  data: User[][],
  opts: { total?: number; failAt?: number; error?: Error } = {},
) {
  const seen = { yielded: 0, finished: false, signal: undefined as AbortSignal | undefined };
  const adapter = {
    async *exportUsers(input: ExportUsersInput): AsyncIterable<User[]> {
      seen.signal = input.signal;
      try {
        if (opts.total !== undefined) input.onTotal?.(opts.total);
        for (let i = 0; i < data.length; i += 1) {
          if (i === opts.failAt) throw opts.error ?? new Error("boom");
          await new Promise((resolve) => setTimeout(resolve, 1));
          seen.yielded += 1;
          yield data[i]!;
        }
      } finally {
        seen.finished = true;
      }
    },
  };
  return { adapter, seen };
}

/** The body as text, BOM kept (Response.text() drops it). */
async function readText(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(
    await new Response(stream).arrayBuffer(),
  );
}

const columns = EXPORT_COLUMNS.openai.filter((c) => ["id", "name", "email"].includes(c.id));

function start(
  adapter: ReturnType<typeof fakeAdapter>["adapter"],
  signal = new AbortController().signal,
) {
  const onSettled = vi.fn<(result: CsvExportSettled) => void>();
  const promise = startCsvExport({
    adapter,
    filters: { groups: false },
    columns,
    concurrency: 4,
    signal,
    onSettled,
  });
  return { promise, onSettled };
}

describe("startCsvExport", () => {
  it("writes the BOM, the header and every row in order, then settles ok", async () => {
    const data = batches(5, 3);
    const { adapter } = fakeAdapter(data, { total: 15 });
    const { promise, onSettled } = start(adapter);
    const { stream, total } = await promise;
    expect(total).toBe(15);
    const text = await readText(stream);
    expect(text.startsWith("\uFEFFid,name,email\r\n")).toBe(true);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual(data.flat().map((u) => u.id));
    expect(rows[0]?.name).toBe("'=HACK(0)");
    expect(rows[1]?.name).toBe("Name, 1");
    expect(onSettled).toHaveBeenCalledTimes(1);
    expect(onSettled).toHaveBeenCalledWith({ outcome: "ok", rows: 15 });
  });

  it("reports no total when the vendor gives none", async () => {
    const { adapter } = fakeAdapter(batches(1, 1));
    const { stream, total } = await start(adapter).promise;
    expect(total).toBeNull();
    await stream.cancel();
  });

  it("skips empty batches and writes a header-only file for no matches", async () => {
    const { adapter } = fakeAdapter([[], [user(1)], [], []]);
    const text = await readText((await start(adapter).promise).stream);
    expect(text).toBe('\uFEFFid,name,email\r\nuser_1,"Name, 1",u1@example.com\r\n');

    const empty = start(fakeAdapter([]).adapter);
    expect(await readText((await empty.promise).stream)).toBe("\uFEFFid,name,email\r\n");
    expect(empty.onSettled).toHaveBeenCalledWith({ outcome: "ok", rows: 0 });
  });

  it("pulls vendor batches only as the reader reads (backpressure)", async () => {
    const { adapter, seen } = fakeAdapter(batches(50, 2));
    const { stream } = await start(adapter).promise;
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Two reads, plus at most one batch queued ahead of the reader.
    expect(seen.yielded).toBeLessThanOrEqual(4);
    await reader.cancel();
  });

  it("rejects before any byte is written when the first batch fails", async () => {
    const error = new ApiError("upstream_unavailable", "Telnyx is not answering.");
    const { adapter } = fakeAdapter(batches(3, 1), { failAt: 0, error });
    const { promise, onSettled } = start(adapter);
    await expect(promise).rejects.toBe(error);
    expect(onSettled).toHaveBeenCalledWith({ outcome: "failed", rows: 0, error });
  });

  it("errors the stream when the vendor fails mid-export, so reading rejects", async () => {
    const error = new ApiError("upstream_unavailable", "Telnyx is not answering.");
    const { adapter } = fakeAdapter(batches(6, 2), { failAt: 3, error });
    const { promise, onSettled } = start(adapter);
    const { stream } = await promise;
    await expect(readText(stream)).rejects.toMatchObject({ name: "AbortError" });
    expect(onSettled).toHaveBeenCalledTimes(1);
    expect(onSettled).toHaveBeenCalledWith({ outcome: "failed", rows: 6, error });
  });

  it("ends a failed download with the failure's code, so the dashboard can say why", async () => {
    const error = new ApiError("list_changed", "The Telnyx user list changed.");
    const { adapter } = fakeAdapter(batches(4, 2), { failAt: 2, error });
    const { promise, onSettled } = start(adapter);
    const reader = (await promise).stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const failed = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return null;
        text += decoder.decode(value, { stream: true });
      }
    })().catch((e: unknown) => e);
    expect(failed).toMatchObject({ name: "AbortError" });
    expect(text.endsWith("u3@example.com\r\n" + exportFailureLine("list_changed"))).toBe(true);
    expect(exportFailureCode(text)).toBe("list_changed");
    expect(onSettled).toHaveBeenCalledWith({ outcome: "failed", rows: 4, error });
    // A complete file carries no such line.
    const ok = await readText((await start(fakeAdapter(batches(2, 1)).adapter).promise).stream);
    expect(exportFailureCode(ok)).toBeNull();
  });

  it("stops the vendor iteration when the reader cancels", async () => {
    const { adapter, seen } = fakeAdapter(batches(100, 1));
    const { promise, onSettled } = start(adapter);
    const reader = (await promise).stream.getReader();
    await reader.read();
    await reader.cancel("client went away");
    expect(seen.signal?.aborted).toBe(true);
    expect(seen.finished).toBe(true);
    expect(seen.yielded).toBeLessThan(100);
    expect(onSettled).toHaveBeenCalledWith({ outcome: "cancelled", rows: expect.any(Number) });
  });

  it("aborts the vendor calls when the request's signal aborts", async () => {
    const request = new AbortController();
    const { adapter, seen } = fakeAdapter(batches(100, 1));
    const { promise, onSettled } = start(adapter, request.signal);
    await promise;
    request.abort();
    expect(seen.signal?.aborted).toBe(true);
    expect(onSettled).toHaveBeenCalledTimes(1);
    expect(onSettled).toHaveBeenCalledWith({ outcome: "cancelled", rows: expect.any(Number) });
  });
});

describe("midwayFailuresAsApiErrors", () => {
  async function failure(error: Error, after: number) {
    async function* batches() {
      for (let i = 0; i < after; i++) yield [i];
      throw error;
    }
    const read = async () => {
      for await (const batch of midwayFailuresAsApiErrors(batches(), "The list failed."))
        void batch;
    };
    return read().catch((caught: unknown) => caught);
  }
  const unreachable = () =>
    Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });

  it("names a database that stopped answering midway, and any other error internal_error", async () => {
    expect(await failure(unreachable(), 1)).toMatchObject({
      code: "database_unavailable",
      message: "Roster's database stopped answering.",
    });
    expect(await failure(new TypeError("boom"), 1)).toMatchObject({
      code: "internal_error",
      message: "The list failed.",
    });
  });

  it("leaves a failure on the first batch as it is, for the route's own answer", async () => {
    const error = unreachable();
    expect(await failure(error, 0)).toBe(error);
  });
});
