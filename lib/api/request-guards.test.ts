import { afterEach, describe, expect, it } from "vitest";

import { resetEnvCache } from "@/lib/env.mjs";

import { ApiError } from "./errors";
import { assertSameOrigin, readJsonBody } from "./request-guards";

const saved = process.env.NEXTAUTH_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = saved;
  resetEnvCache();
});

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof ApiError ? error.code : "not an ApiError";
  }
  return undefined;
}

describe("assertSameOrigin", () => {
  const request = (headers: Record<string, string>) =>
    new Request("http://127.0.0.1:3000/api/x", { method: "POST", headers });

  it("lets through the request's own origin, NEXTAUTH_URL's origin, and no Origin at all", () => {
    process.env.NEXTAUTH_URL = "https://roster.example.com/base";
    resetEnvCache();
    expect(codeOf(() => assertSameOrigin(request({ origin: "http://127.0.0.1:3000" })))).toBe(
      undefined,
    );
    expect(codeOf(() => assertSameOrigin(request({ origin: "https://roster.example.com" })))).toBe(
      undefined,
    );
    expect(codeOf(() => assertSameOrigin(request({ "sec-fetch-site": "same-origin" })))).toBe(
      undefined,
    );
  });

  it("refuses another origin, a null origin and a cross-site fetch", () => {
    delete process.env.NEXTAUTH_URL;
    resetEnvCache();
    const cases: Record<string, string>[] = [
      { origin: "https://roster.example.com.evil.example" },
      { origin: "http://127.0.0.1:3001" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of cases) {
      expect(
        codeOf(() => assertSameOrigin(request(headers))),
        JSON.stringify(headers),
      ).toBe("forbidden_origin");
    }
  });
});

/** A POST with a JSON body, as a client sends one (a string body alone is sent as text/plain). */
function jsonPost(body: BodyInit, type: string | null = "application/json"): Request {
  const request = new Request("http://x/", { method: "POST", body });
  if (type === null) request.headers.delete("content-type");
  else request.headers.set("content-type", type);
  return request;
}

describe("readJsonBody", () => {
  it("refuses a declared Content-Length over the bound without reading", async () => {
    let read = false;
    const fake = {
      headers: new Headers({ "content-length": "2048" }),
      get body() {
        read = true;
        return null;
      },
    } as unknown as Request;
    await expect(readJsonBody(fake, 1024)).rejects.toMatchObject({
      code: "payload_too_large",
      status: 413,
    });
    expect(read).toBe(false);
  });

  it("stops reading a body that grows past the bound", async () => {
    const chunk = new Uint8Array(600).fill(0x20);
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(chunk);
      },
    });
    const request = new Request("http://x/", {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    await expect(readJsonBody(request, 1024)).rejects.toMatchObject({ code: "payload_too_large" });
    expect(pulls).toBeLessThan(5);
  });

  it("parses JSON at the bound, reads no body as {}, and says when the body is not JSON", async () => {
    const json = JSON.stringify({ a: "x".repeat(1000) });
    const post = (text: string) => jsonPost(text);
    await expect(readJsonBody(post(json), json.length)).resolves.toEqual({ a: "x".repeat(1000) });
    await expect(readJsonBody(post("{"), 1024)).rejects.toMatchObject({ code: "invalid_body" });
    await expect(readJsonBody(post(""), 1024)).resolves.toEqual({});
  });

  it("refuses JSON nested deeper than any body Roster takes with 400, not a 500", async () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const request = jsonPost(`{"a":${deep}}`);
    await expect(readJsonBody(request, 64 * 1024)).rejects.toMatchObject({
      code: "invalid_body",
      message: expect.stringContaining("nested"),
    });
    const fine = '{"a":[[{"b":["\\"[{"]}]]}';
    const ok = jsonPost(fine);
    await expect(readJsonBody(ok, 1024)).resolves.toEqual(JSON.parse(fine));
  });

  it("refuses a body that is not UTF-8 instead of reading its bytes as U+FFFD", async () => {
    const bytes = Buffer.from('{"comment":"caf\u00e9"}', "latin1");
    const request = jsonPost(bytes);
    await expect(readJsonBody(request, 1024)).rejects.toMatchObject({
      code: "invalid_body",
      message: expect.stringContaining("UTF-8"),
    });
  });

  it("refuses a body declared as anything but JSON, and reads one declared as nothing", async () => {
    for (const type of [
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "text/csv",
    ]) {
      await expect(readJsonBody(jsonPost("{}", type), 1024), type).rejects.toMatchObject({
        code: "invalid_body",
        message: "Send the body as JSON (Content-Type: application/json).",
      });
    }
    for (const type of [
      null,
      "application/json",
      "Application/JSON; charset=utf-8",
      "application/merge-patch+json",
    ]) {
      await expect(readJsonBody(jsonPost('{"a":1}', type), 1024), String(type)).resolves.toEqual({
        a: 1,
      });
    }
  });

  it("refuses an object that gives a key twice, which JSON.parse would read as the last", async () => {
    for (const [body, key] of [
      ['{"provider":"telnyx","provider":"openai"}', '"provider"'],
      ['[{"itemId":1,"decision":"revoke","decision":"keep"}]', '"decision"'],
      ['{"a":{"b":1,"\\u0062":2}}', '"b"'],
      [`{"${"k".repeat(100)}":1,"${"k".repeat(100)}":2}`, "a field"],
    ] as const) {
      await expect(readJsonBody(jsonPost(body), 1024), body).rejects.toMatchObject({
        code: "invalid_body",
        message: `The body gives ${key} twice in one object.`,
      });
    }
    // The same key in two objects, or a key's text as a value, is no repeat.
    const fine = '[{"a":1,"b":"a"},{"a":2,"c":{"a":3}},"a"]';
    await expect(readJsonBody(jsonPost(fine), 1024)).resolves.toEqual(JSON.parse(fine));
  });
});
