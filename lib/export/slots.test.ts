import { describe, expect, it, vi } from "vitest";

import { ApiError } from "@/lib/api/errors";
import { parseEnv } from "@/lib/env.mjs";

import { acquireExportSlot, InMemoryExportSlots, withExportSlot, type ExportSlot } from "./slots";

const slots = (perAdmin: number, total: number) =>
  new InMemoryExportSlots(() => ({ perAdmin, total }));

async function take(limiter: InMemoryExportSlots, admin: string): Promise<ExportSlot> {
  const slot = await limiter.acquire(admin);
  if ("refused" in slot) throw new Error(`refused: ${slot.refused}`);
  return slot;
}

describe("InMemoryExportSlots", () => {
  it("refuses an admin's export past the per-admin limit, case-insensitively, and not others'", async () => {
    const limiter = slots(2, 8);
    await take(limiter, "ann@example.com");
    await take(limiter, "Ann@Example.com");
    expect(await limiter.acquire("ANN@example.com")).toEqual({ refused: "admin", limit: 2 });
    await take(limiter, "bob@example.com");
    expect(limiter.inUse("ann@example.com")).toBe(2);
    expect(limiter.inUse()).toBe(3);
  });

  it("refuses anyone's export past the instance's limit", async () => {
    const limiter = slots(2, 3);
    await take(limiter, "a@x");
    await take(limiter, "b@x");
    await take(limiter, "c@x");
    expect(await limiter.acquire("d@x")).toEqual({ refused: "total", limit: 3 });
  });

  it("frees a slot on release, and a second release of it frees nothing else", async () => {
    const limiter = slots(1, 8);
    const first = await take(limiter, "ann@x");
    first.release();
    const second = await take(limiter, "ann@x");
    first.release();
    expect(limiter.inUse("ann@x")).toBe(1);
    expect(await limiter.acquire("ann@x")).toEqual({ refused: "admin", limit: 1 });
    second.release();
    expect(limiter.inUse()).toBe(0);
  });

  it("reads the limits at each acquire", async () => {
    let perAdmin = 1;
    const limiter = new InMemoryExportSlots(() => ({ perAdmin, total: 8 }));
    await take(limiter, "ann@x");
    expect("refused" in (await limiter.acquire("ann@x"))).toBe(true);
    perAdmin = 2;
    await take(limiter, "ann@x");
  });
});

describe("acquireExportSlot", () => {
  it.each([
    [slots(1, 8), /You already have 1 export running/],
    [slots(2, 1), /server is already running as many exports as it allows/],
  ])(
    "turns a refusal into 429 too_many_exports with a message for the admin",
    async (limiter, message) => {
      await take(limiter, "ann@x");
      const error: unknown = await acquireExportSlot(limiter, "ann@x").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        code: "too_many_exports",
        status: 429,
        message: expect.stringMatching(message),
      });
    },
  );
});

describe("withExportSlot", () => {
  /** A CSV response whose body the test ends: it sends one chunk, then waits. */
  function download() {
    let body!: ReadableStreamDefaultController<Uint8Array>;
    const cancelled = vi.fn();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        body = controller;
        controller.enqueue(new TextEncoder().encode("id\r\n"));
      },
      cancel: cancelled,
    });
    const response = new Response(stream, { headers: { "Content-Type": "text/csv" } });
    return { response, body: () => body, cancelled };
  }

  async function held(limiter: InMemoryExportSlots, signal = new AbortController().signal) {
    const fake = download();
    const response = await withExportSlot(limiter, "ann@x", signal, async () => fake.response);
    expect(limiter.inUse("ann@x")).toBe(1);
    const reader = response.body!.getReader();
    await reader.read();
    return { ...fake, response, reader };
  }

  it("refuses with 429 too_many_exports before the export starts when no slot is free", async () => {
    const limiter = slots(1, 8);
    await take(limiter, "ann@x");
    const respond = vi.fn(async () => new Response("id\r\n"));
    await expect(
      withExportSlot(limiter, "ann@x", new AbortController().signal, respond),
    ).rejects.toMatchObject({ code: "too_many_exports" });
    expect(respond).not.toHaveBeenCalled();
  });

  it("holds the slot while the body streams and gives it back at its end, keeping the headers", async () => {
    const limiter = slots(1, 8);
    const { response, reader, body } = await held(limiter);
    expect(response.headers.get("content-type")).toBe("text/csv");
    body().enqueue(new TextEncoder().encode("1\r\n"));
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("1\r\n");
    expect(limiter.inUse()).toBe(1);
    body().close();
    expect((await reader.read()).done).toBe(true);
    expect(limiter.inUse()).toBe(0);
  });

  it("gives the slot back when the body fails, passing the failure on", async () => {
    const limiter = slots(1, 8);
    const { reader, body } = await held(limiter);
    body().error(new Error("cut"));
    await expect(reader.read()).rejects.toThrow("cut");
    expect(limiter.inUse()).toBe(0);
  });

  it("gives the slot back when the client cancels the download, cancelling the body", async () => {
    const limiter = slots(1, 8);
    const { reader, cancelled } = await held(limiter);
    await reader.cancel("gone");
    expect(cancelled).toHaveBeenCalledWith("gone");
    expect(limiter.inUse()).toBe(0);
  });

  it("gives the slot back when the request's signal aborts", async () => {
    const limiter = slots(1, 8);
    const client = new AbortController();
    await held(limiter, client.signal);
    client.abort();
    expect(limiter.inUse()).toBe(0);
  });

  it("gives the slot back when the export fails before it answers", async () => {
    const limiter = slots(1, 8);
    const failing = withExportSlot(limiter, "ann@x", new AbortController().signal, async () => {
      throw new ApiError("directory_empty", "sync first");
    });
    await expect(failing).rejects.toMatchObject({ code: "directory_empty" });
    expect(limiter.inUse()).toBe(0);
  });
});

describe("EXPORT_MAX_PER_ADMIN and EXPORT_MAX_TOTAL", () => {
  it("default to 2 and 8", () => {
    expect(parseEnv({})).toMatchObject({ EXPORT_MAX_PER_ADMIN: 2, EXPORT_MAX_TOTAL: 8 });
    expect(parseEnv({ EXPORT_MAX_PER_ADMIN: "1", EXPORT_MAX_TOTAL: "20" })).toMatchObject({
      EXPORT_MAX_PER_ADMIN: 1,
      EXPORT_MAX_TOTAL: 20,
    });
  });

  it.each([
    ["EXPORT_MAX_PER_ADMIN", "0"],
    ["EXPORT_MAX_TOTAL", "1001"],
  ])("stop the start with a message naming %s=%s", (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`${name}: must be an integer`));
  });
});
