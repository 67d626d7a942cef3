import { describe, expect, it } from "vitest";

import { UsersApiError } from "./users-api";

describe("UsersApiError.isTransient", () => {
  it("retries what may answer next time: the network, the vendor, Roster's database", () => {
    for (const code of [
      "network_error",
      "upstream_unavailable",
      "upstream_timeout",
      "too_many_requests",
      "database_unavailable",
    ]) {
      expect(new UsersApiError(code, "m", 503).isTransient, code).toBe(true);
    }
  });

  it("does not retry what will fail the same way", () => {
    for (const code of [
      "invalid_query",
      "upstream_auth_failed",
      "internal_error",
      "list_changed",
    ]) {
      expect(new UsersApiError(code, "m", 400).isTransient, code).toBe(false);
    }
  });
});
