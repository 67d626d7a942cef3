import { describe, expect, it } from "vitest";

import { addressBucket, clientAddress } from "./client-address";

const xff = (value: string) => new Headers({ "x-forwarded-for": value });

describe("clientAddress", () => {
  it("takes the entry the trusted proxies vouch for", () => {
    expect(clientAddress(xff("6.6.6.6, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientAddress(xff("6.6.6.6, 203.0.113.7, 10.0.0.2"), 2)).toBe("203.0.113.7");
    expect(clientAddress(new Headers(), 1)).toBe("unknown");
  });

  it("groups IPv6 addresses by their /64", () => {
    const a = clientAddress(xff("2001:db8:1:2:aaaa::1"), 1);
    expect(a).toBe("2001:db8:1:2::/64");
    expect(clientAddress(xff("2001:0DB8:0001:0002:ffff:ffff:ffff:ffff"), 1)).toBe(a);
    expect(clientAddress(xff("2001:db8:1:3::1"), 1)).not.toBe(a);
    expect(addressBucket("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressBucket("[2001:db8::1]:443")).toBe("2001:db8:0:0::/64");
  });

  it("puts anything that is not an address, or too long, in one bucket", () => {
    expect(addressBucket("not-an-ip")).toBe("invalid");
    expect(addressBucket("1.2.3.4".padEnd(200, "x"))).toBe("invalid");
    expect(addressBucket("999.1.1.1")).toBe("invalid");
    expect(clientAddress(xff(`${"a,".repeat(10_000)}1.2.3.4`), 1)).toBe("invalid");
  });
});
