import { afterEach, describe, expect, it, vi } from "vitest";

import { jsonBytes, jsonResponse } from "./json";

const BODIES: [string, unknown][] = [
  [
    "a list page",
    {
      data: [
        { id: "u1", name: "Zoë 🦖" },
        { id: "u2", name: null },
      ],
      next: null,
    },
  ],
  ["an empty object", {}],
  ["empty arrays and nested arrays", { data: [], matrix: [[1, 2], []], deep: { list: [1] } }],
  [
    "values with no JSON form",
    { gone: undefined, fn: () => 1, data: [undefined, () => 1, Symbol("s"), 1], last: 2 },
  ],
  ["a sparse array", { data: [1, , 3] }],
  ["only fields with no JSON form", { gone: undefined }],
  ["dates and toJSON", { at: new Date(0), data: [new Date(1000)], custom: { toJSON: () => "x" } }],
  ["a top-level toJSON", { toJSON: () => ({ data: [1] }) }],
  ["escapes and lone surrogates", { data: ["a\u2028b", "lone \ud800", '"quoted"\n'], 'k"ey': 1 }],
  ["an array", [1, "two", { three: [3] }]],
  ["a string", "plain"],
  ["null", null],
  ["an object without a prototype", Object.assign(Object.create(null), { data: [1], n: 2 })],
];

describe("jsonBytes", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(BODIES)("writes exactly JSON.stringify's bytes: %s", (_, body) => {
    expect(jsonBytes(body).toString("utf8")).toBe(JSON.stringify(body));
  });

  it("writes a list page into one buffer of its exact size, not a Buffer per item joined by concat", () => {
    const from = vi.spyOn(Buffer, "from");
    const concat = vi.spyOn(Buffer, "concat");
    const page = { data: Array.from({ length: 100 }, (_, i) => ({ id: `u${i}`, name: "Zoë 🦖" })) };
    const bytes = jsonBytes(page);
    expect(bytes.toString("utf8")).toBe(JSON.stringify(page));
    expect(bytes.length).toBe(Buffer.byteLength(JSON.stringify(page)));
    expect(from).not.toHaveBeenCalled();
    expect(concat).not.toHaveBeenCalled();
  });
});

describe("jsonResponse", () => {
  it("answers as Response.json does: JSON content type, the status and headers given, the same bytes", async () => {
    const body = BODIES[0]![1];
    const response = jsonResponse(body, {
      status: 201,
      headers: { "Cache-Control": "no-store", "Retry-After": "3" },
    });
    const reference = Response.json(body, { status: 201 });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe(reference.headers.get("content-type"));
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("retry-after")).toBe("3");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(
      new Uint8Array(await reference.arrayBuffer()),
    );
  });

  it("keeps a content type the caller set", () => {
    const response = jsonResponse({}, { headers: { "content-type": "application/problem+json" } });
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});
