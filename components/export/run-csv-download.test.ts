import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { csvRow } from "@/lib/export/csv";
import { exportFailureLine } from "@/lib/export/failure";

import { runCsvDownload } from "./run-csv-download";
import type { CsvDownload, CsvExportState } from "./use-csv-export";

const saved = vi.hoisted(() => [] as { bytes: Promise<ArrayBuffer>; filename: string }[]);
vi.mock("@/components/ui/save-file", () => ({
  saveFile: (blob: Blob, filename: string) => saved.push({ bytes: blob.arrayBuffer(), filename }),
}));

const DOWNLOAD: CsvDownload = {
  url: "/api/people/export?flag=leaver_with_access",
  filename: "roster-people.csv",
  subject: "The people list",
};
const HEADER = "\uFEFFkey,email\r\n";
const encoder = new TextEncoder();

/**
 * `fetch` answering with `parts` as the body's chunks; `end` says how the body
 * ends: closed, cut (the stream errors, as when the server cuts the
 * connection), or held open until the request is aborted.
 */
function answerWith(
  parts: string[],
  end: "close" | "cut" | "hold",
  headers: Record<string, string> = {},
) {
  const fetchMock = vi.fn((_url: string, init: RequestInit) => {
    const signal = init.signal!;
    const queue = [...parts];
    // One part per read, so the reader gets every part before the body ends (an error in the
    // stream drops what is still queued, as a cut connection does with bytes not yet read).
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        signal.addEventListener("abort", () => controller.error(signal.reason));
      },
      pull(controller) {
        const part = queue.shift();
        if (part !== undefined) return controller.enqueue(encoder.encode(part));
        if (end === "close") return controller.close();
        if (end === "cut") return controller.error(new TypeError("network error"));
        return new Promise<void>(() => undefined);
      },
    });
    return Promise.resolve(new Response(body, { status: 200, headers }));
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

function answerJson(status: number, body: unknown) {
  vi.stubGlobal(
    "fetch",
    vi.fn(() => Promise.resolve(Response.json(body, { status }))),
  );
}

async function run(signal = new AbortController().signal) {
  const states: CsvExportState[] = [];
  await runCsvDownload(DOWNLOAD, signal, (state) => states.push(state));
  return states;
}

beforeEach(() => {
  saved.length = 0;
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("runCsvDownload", () => {
  it("saves the whole body under the response's file name, counting rows", async () => {
    const fetchMock = answerWith([HEADER, "a,a@x.test\r\n", "b,b@x.test\r\n"], "close", {
      "Content-Disposition": 'attachment; filename="roster-people-2026-01-31.csv"',
      "X-Total-Count": "2",
    });
    const states = await run();
    expect(fetchMock).toHaveBeenCalledWith(DOWNLOAD.url, expect.anything());
    expect(states).toContainEqual({ phase: "running", rows: 2, total: 2 });
    expect(states.at(-1)).toEqual({
      phase: "idle",
      notice: "Exported 2 rows to roster-people-2026-01-31.csv.",
    });
    expect(saved.map((file) => file.filename)).toEqual(["roster-people-2026-01-31.csv"]);
    // Byte for byte, the byte order mark included.
    expect(new Uint8Array(await saved[0]!.bytes)).toEqual(
      encoder.encode(`${HEADER}a,a@x.test\r\nb,b@x.test\r\n`),
    );
  });

  it("without X-Total-Count counts rows so far, and saves under the fallback name", async () => {
    answerWith([HEADER, "a,a@x.test\r\n"], "close");
    const states = await run();
    expect(states).toContainEqual({ phase: "running", rows: 1, total: null });
    expect(states.at(-1)).toEqual({
      phase: "idle",
      notice: "Exported 1 row to roster-people.csv.",
    });
  });

  it("a JSON 409 list_changed before the body says the list changed; nothing is saved", async () => {
    answerJson(409, { error: { code: "list_changed", message: "People were rebuilt" } });
    const states = await run();
    expect(states.at(-1)).toEqual({
      phase: "failed",
      message: "The people list changed during the export: try again.",
    });
    expect(saved).toEqual([]);
  });

  it("another JSON error before the body shows the API's message", async () => {
    answerJson(429, {
      error: { code: "too_many_exports", message: "You already run 2 exports: wait for one." },
    });
    expect((await run()).at(-1)).toEqual({
      phase: "failed",
      message: "You already run 2 exports: wait for one.",
    });
    expect(saved).toEqual([]);
  });

  it("an error that is not JSON names the status", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(new Response("<html>Bad gateway</html>", { status: 502 }))),
    );
    expect((await run()).at(-1)).toEqual({
      phase: "failed",
      message: "The export could not start (HTTP 502).",
    });
  });

  it("a body cut after the list_changed failure line says the list changed; nothing is saved", async () => {
    answerWith([HEADER, "a,a@x.test\r\n", exportFailureLine("list_changed")], "cut");
    const states = await run();
    expect(states).toContainEqual({ phase: "running", rows: 1, total: null });
    expect(states.at(-1)).toEqual({
      phase: "failed",
      message: "The people list changed during the export: try again.",
    });
    expect(saved).toEqual([]);
  });

  it("a body cut after another failure line names what its code means", async () => {
    for (const [code, reason] of [
      ["internal_error", "Roster's server hit an error"],
      ["upstream_unavailable", "the vendor stopped answering"],
      ["database_unavailable", "Roster's database stopped answering"],
    ] as const) {
      answerWith([HEADER, "a,a@x.test\r\n", exportFailureLine(code)], "cut");
      expect((await run()).at(-1), code).toEqual({
        phase: "failed",
        message: `The export stopped before it finished: ${reason}. No file was saved.`,
      });
    }
    // A code this browser does not know: the plain message.
    answerWith([HEADER, exportFailureLine("something_new")], "cut");
    expect((await run()).at(-1)).toEqual({
      phase: "failed",
      message: "The export stopped before it finished, so no file was saved.",
    });
    expect(saved).toEqual([]);
  });

  it("a body that ends cleanly after a failure line is a failure too; nothing is saved", async () => {
    answerWith([HEADER, "a,a@x.test\r\n", exportFailureLine("list_changed")], "close");
    expect((await run()).at(-1)).toEqual({
      phase: "failed",
      message: "The people list changed during the export: try again.",
    });
    expect(saved).toEqual([]);
  });

  it("a one-column file whose last value reads like a failure line is saved whole", async () => {
    // An empty value, then one spelled like the failure line: written by the real CSV writer.
    const rows = csvRow([""]) + csvRow([`#roster-export-failed:list_changed`]);
    answerWith(["\uFEFFname\r\n", rows], "close");
    expect((await run()).at(-1)).toEqual({
      phase: "idle",
      notice: "Exported 2 rows to roster-people.csv.",
    });
    expect(new TextDecoder().decode(await saved[0]!.bytes)).toBe(`name\r\n${rows}`);
  });

  it("a body cut without a failure line says it stopped; nothing is saved", async () => {
    answerWith([HEADER, "a,a@x.test\r\n"], "cut");
    expect((await run()).at(-1)).toEqual({
      phase: "failed",
      message: "The export stopped before it finished, so no file was saved.",
    });
    expect(saved).toEqual([]);
  });

  it("Cancel midway stops the download and saves nothing", async () => {
    answerWith([HEADER, "a,a@x.test\r\n"], "hold");
    const controller = new AbortController();
    const states: CsvExportState[] = [];
    const done = runCsvDownload(DOWNLOAD, controller.signal, (state) => {
      states.push(state);
      if (state.phase === "running" && state.rows === 1) controller.abort();
    });
    await done;
    expect(states.at(-1)).toEqual({
      phase: "idle",
      notice: "Export cancelled. No file was saved.",
    });
    expect(saved).toEqual([]);
  });
});
