import { describe, expect, it } from "vitest";

import { clientAddress } from "./client-address";

const xff = (value?: string) =>
  new Headers(value === undefined ? {} : { "x-forwarded-for": value });

describe("clientAddress", () => {
  it("uses the address Next.js filled in when no proxy is trusted", () => {
    expect(clientAddress(xff("127.0.0.1"), 0)).toBe("127.0.0.1");
  });

  it("takes the entry the trusted proxy appended, ignoring what the client wrote before it", () => {
    expect(clientAddress(xff("6.6.6.6, 203.0.113.9"), 1)).toBe("203.0.113.9");
  });

  it("counts several trusted proxies from the right", () => {
    expect(clientAddress(xff("6.6.6.6, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
  });

  it("falls back to the leftmost entry when there are fewer entries than proxies", () => {
    expect(clientAddress(xff("203.0.113.9"), 3)).toBe("203.0.113.9");
  });

  it("is 'unknown' without the header", () => {
    expect(clientAddress(xff(), 1)).toBe("unknown");
    expect(clientAddress(xff(" , "), 0)).toBe("unknown");
  });
});
