import { describe, expect, it } from "vitest";

import { unknownOrRepeatedParam } from "./query-params";

describe("unknownOrRepeatedParam", () => {
  const allowed = ["status", "flag"];

  it("passes known parameters given once", () => {
    expect(unknownOrRepeatedParam(new URLSearchParams("status=a&flag=b"), allowed)).toBeNull();
  });

  it("names an unknown parameter and lists the allowed ones", () => {
    expect(unknownOrRepeatedParam(new URLSearchParams("stauts=a"), allowed)).toEqual({
      ok: false,
      param: "stauts",
      message: 'unknown parameter "stauts"; allowed: status, flag',
    });
  });

  it("refuses a repeated parameter unless it may repeat", () => {
    const params = new URLSearchParams("flag=a&flag=b");
    expect(unknownOrRepeatedParam(params, allowed)).toEqual({
      ok: false,
      param: "flag",
      message: "flag must be given at most once",
    });
    expect(unknownOrRepeatedParam(params, allowed, ["flag"])).toBeNull();
  });
});
