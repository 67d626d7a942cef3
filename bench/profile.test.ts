import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

import { originOf, sourceMapResolver, summarizeProfile } from "./profile";

const frame = (functionName: string, url = "", lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

describe("originOf", () => {
  it("names the package, the framework's parts, Node and the app's bundle", () => {
    expect(originOf(frame("parse", "file:///r/node_modules/zod/v4/core.js"), ".next-bench")).toBe(
      "zod",
    );
    expect(
      originOf(frame("f", "file:///r/node_modules/@tanstack/query-core/x.js"), ".next-bench"),
    ).toBe("@tanstack/query-core");
    expect(
      originOf(frame("r", "file:///r/node_modules/next/dist/compiled/react-dom/x.js"), ".next"),
    ).toBe("next (bundled vendor code)");
    expect(originOf(frame("h", "file:///r/node_modules/next/dist/server/x.js"), ".next")).toBe(
      "next (server runtime)",
    );
    expect(originOf(frame("w", "node:internal/streams"), ".next")).toBe("Node.js internals");
    expect(originOf(frame("fetch", "node:internal/deps/undici/undici"), ".next")).toBe(
      "undici (Node.js fetch)",
    );
    expect(originOf(frame("GET", "file:///r/.next-bench/server/chunks/a.js"), ".next-bench")).toBe(
      "Roster's server bundle (app code and bundled packages)",
    );
    expect(originOf(frame("(garbage collector)"), ".next")).toBe("V8 garbage collector");
    expect(originOf(frame("encodeUtf8String"), ".next")).toBe("V8 and Node.js native code");
  });
});

describe("summarizeProfile", () => {
  it("sums self time per function and origin, leaving idle time out of the shares", () => {
    const profile = {
      startTime: 1_000_000,
      nodes: [
        { id: 1, callFrame: frame("(idle)") },
        { id: 2, callFrame: frame("parse", "file:///r/node_modules/zod/a.js", 9) },
        { id: 3, callFrame: frame("write", "node:net") },
        { id: 4, callFrame: frame("parse", "file:///r/node_modules/zod/a.js", 9) },
      ],
      // Samples at nodes 1, 2, 2, 3, 4 with these deltas (µs).
      samples: [1, 2, 2, 3, 4],
      timeDeltas: [50_000, 1_000, 2_000, 3_000, 4_000],
    };
    const summary = summarizeProfile(profile, ".next", 5);
    expect(summary.busyMs).toBeCloseTo(10);
    expect(summary.cpuPerRequestMs).toBeCloseTo(2);
    expect(summary.byOrigin[0]).toMatchObject({ origin: "zod", ms: 7 });
    expect(summary.byOrigin[0]?.share).toBeCloseTo(0.7);
    // The two nodes of one function (two call paths) are one line.
    expect(summary.topFunctions[0]).toMatchObject({ name: "parse a.js:10", ms: 7 });
    expect(summary.topFunctions.map((f) => f.origin)).not.toContain("(idle)");
  });

  it("keeps apart two functions of one name on the same line of a minified chunk", () => {
    const chunk = "file:///r/.next/server/chunks/_0nnylk._.js";
    const profile = {
      startTime: 1_000_000,
      nodes: [
        { id: 1, callFrame: { ...frame("r", chunk, 0), columnNumber: 11106 } },
        { id: 2, callFrame: { ...frame("r", chunk, 0), columnNumber: 16604 } },
        { id: 3, callFrame: { ...frame("r", chunk, 0), columnNumber: 11106 } },
      ],
      samples: [1, 2, 3],
      timeDeltas: [3_000, 2_000, 1_000],
    };
    const summary = summarizeProfile(profile, ".next", 1);
    expect(summary.topFunctions.map((f) => [f.name, f.ms])).toEqual([
      ["r _0nnylk._.js:1:11107", 4],
      ["r _0nnylk._.js:1:16605", 2],
    ]);
  });

  it("counts only the samples inside the window, by their time on the profile's clock", () => {
    const profile = {
      startTime: 1_000_000,
      nodes: [
        { id: 1, callFrame: frame("start", "node:internal/modules/cjs/loader") },
        { id: 2, callFrame: frame("GET", "file:///r/.next/server/chunks/route.js") },
      ],
      // At 1,010,000 µs (startup), then 1,060,000 and 1,070,000 (the load).
      samples: [1, 2, 2],
      timeDeltas: [10_000, 50_000, 10_000],
    };
    const summary = summarizeProfile(profile, ".next", 2, { fromUs: 1_050_000, toUs: 1_080_000 });
    expect(summary.busyMs).toBeCloseTo(60);
    expect(summary.byOrigin.map((o) => o.origin)).toEqual([
      "Roster's server bundle (app code and bundled packages)",
    ]);
  });
});

describe("sourceMapResolver", () => {
  // A built chunk's map as next build writes it: sources relative to the chunk's folder.
  const root = mkdtempSync(path.join(os.tmpdir(), "roster-profile-"));
  const chunks = path.join(root, ".next", "server", "chunks");
  mkdirSync(chunks, { recursive: true });
  const chunk = path.join(chunks, "_0abc._.js");
  writeFileSync(chunk, "function a(){}function b(){}\n");
  writeFileSync(
    `${chunk}.map`,
    JSON.stringify({
      version: 3,
      sources: ["../../../lib/users/list.ts", "../../../node_modules/jose/dist/decrypt.js"],
      names: ["listUsers", "decrypt"],
      // Column 0 -> lib/users/list.ts:3 named listUsers; column 14 -> jose's file, line 3, decrypt.
      mappings: "AAEAA,cCAAC",
    }),
  );
  const url = pathToFileURL(chunk).href;
  const resolve = sourceMapResolver(root, ".next");
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("maps a chunk's frame to its source file, line and name", () => {
    expect(resolve({ ...frame("a", url, 0), columnNumber: 0 })).toEqual({
      source: "lib/users/list.ts",
      line: 3,
      name: "listUsers",
    });
    expect(resolve({ ...frame("b", url, 0), columnNumber: 14 })).toEqual({
      source: "node_modules/jose/dist/decrypt.js",
      line: 3,
      name: "decrypt",
    });
  });

  it("leaves alone frames outside the server bundle and chunks without a map", () => {
    expect(resolve(frame("w", "node:internal/streams"))).toBeNull();
    expect(resolve(frame("x", pathToFileURL(path.join(root, "other.js")).href))).toBeNull();
    const bare = path.join(chunks, "no-map.js");
    writeFileSync(bare, "function c(){}\n");
    expect(resolve(frame("c", pathToFileURL(bare).href))).toBeNull();
  });

  it("puts the bundle's time under the package or the Roster folder it came from", () => {
    const profile = {
      startTime: 1_000_000,
      nodes: [
        { id: 1, callFrame: { ...frame("a", url, 0), columnNumber: 0 } },
        { id: 2, callFrame: { ...frame("b", url, 0), columnNumber: 14 } },
        { id: 3, callFrame: frame("write", "node:net") },
      ],
      samples: [1, 2, 2, 3],
      timeDeltas: [1_000, 2_000, 2_000, 1_000],
    };
    const summary = summarizeProfile(profile, ".next", 1, null, 12, resolve);
    expect(summary.byOrigin.map((o) => [o.origin, o.ms])).toEqual([
      ["jose (bundled)", 4],
      ["Roster's code (lib)", 1],
      ["Node.js internals", 1],
    ]);
    expect(summary.topFunctions.map((f) => f.name)).toEqual([
      "decrypt node_modules/jose/dist/decrypt.js:3",
      "listUsers lib/users/list.ts:3",
      "write node:net:1",
    ]);
  });
});
