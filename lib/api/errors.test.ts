import { afterEach, describe, expect, it, vi } from "vitest";

import { ApiError, errorResponse } from "./errors";

afterEach(() => vi.restoreAllMocks());

describe("errorResponse", () => {
  it("answers an ApiError with its status, code, message and Retry-After", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const res = errorResponse(
      new ApiError("upstream_unavailable", "Telnyx is busy.", {
        retryAfterSeconds: 2.2,
        detail: "status 429",
      }),
      "test",
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("3");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await res.json()).toEqual({
      error: { code: "upstream_unavailable", message: "Telnyx is busy." },
    });
  });

  it("hides anything unexpected behind a generic 500 and logs only its kind", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = errorResponse(new TypeError("secret sk-admin-123 in a stack"), "test");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toContain("internal_error");
    expect(text).not.toContain("sk-admin-123");
    expect(String(log.mock.calls[0])).not.toContain("sk-admin-123");
  });

  it("does not log a fault when the caller went away", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const controller = new AbortController();
    const request = new Request("http://127.0.0.1/api/telnyx/users", { signal: controller.signal });
    controller.abort();
    const res = errorResponse(new Error("Request was aborted."), "test", request);
    expect(res.status).toBe(499);
    expect(log).not.toHaveBeenCalled();
  });
});
