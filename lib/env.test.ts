import { describe, expect, it } from "vitest";

import { parseEnv } from "./env.mjs";

/** The message parseEnv throws for `source`. */
function problem(source: Record<string, string>): string {
  try {
    parseEnv(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("parseEnv accepted the environment");
}

describe("parseEnv", () => {
  it("refuses a DATABASE_URL whose password is not percent-encoded, saying how to encode it and never echoing it", () => {
    const message = problem({ DATABASE_URL: "postgres://roster:p@ss/w0rd#1@db:5432/roster" });
    expect(message).toContain(
      "DATABASE_URL: is not a valid URL: percent-encode special characters",
    );
    expect(message).toContain("@ as %40");
    expect(message).not.toContain("w0rd");
    // Unparseable as a URL at all:
    expect(problem({ DATABASE_URL: "postgres://roster:p@ss:w/rd@db:5432/roster" })).toContain(
      "DATABASE_URL: is not a valid URL",
    );
    expect(
      parseEnv({ DATABASE_URL: "postgres://roster:p%40ss%2Fw0rd%231@db:5432/roster" }),
    ).toMatchObject({
      DATABASE_URL: "postgres://roster:p%40ss%2Fw0rd%231@db:5432/roster",
    });
  });

  it("states the rule of a numeric variable that is not a number, not zod's NaN", () => {
    expect(problem({ SESSION_MAX_AGE: "8h" })).toContain(
      "SESSION_MAX_AGE: must be an integer from 60 to 2592000",
    );
    expect(problem({ UPSTREAM_TIMEOUT_MS: "15s" })).toContain(
      "UPSTREAM_TIMEOUT_MS: must be an integer from 100 to 120000",
    );
    expect(problem({ TRUST_PROXY: "yes" })).toContain(
      "TRUST_PROXY: must be true, false or a hop count from 0 to 10",
    );
    expect(problem({ SESSION_MAX_AGE: "8h" })).not.toMatch(/NaN/);
  });

  it("says a URL variable needs its scheme", () => {
    expect(problem({ NEXTAUTH_URL: "roster.example.com" })).toContain(
      "NEXTAUTH_URL: must be an absolute URL, starting with https:// or http://",
    );
  });

  it("keeps the defaults and accepted forms", () => {
    const env = parseEnv({ TRUST_PROXY: "true", SESSION_MAX_AGE: "" });
    expect(env.TRUST_PROXY).toBe(1);
    expect(env.SESSION_MAX_AGE).toBe(28_800);
    expect(env.TELNYX_BASE_URL).toBe("https://api.telnyx.com/v2");
  });
});
