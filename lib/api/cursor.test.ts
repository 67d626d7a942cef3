import { describe, expect, it } from "vitest";

import type { VendorPosition } from "@/lib/providers/types";

import { decodeCursor, encodeCursor, type CursorScope } from "./cursor";
import { ApiError } from "./errors";

const telnyx: CursorScope = {
  provider: "telnyx",
  filters: { status: "enabled", email: "ann", groups: false },
};
const page: VendorPosition = { kind: "page", page: 3, size: 50, skip: 0 };
const after: VendorPosition = { kind: "after", after: "user_abc", skip: 2 };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ApiError ? `${error.status} ${error.code}` : String(error);
  }
  return undefined;
}

/** Flips one character of `text` at `index` to another base64url character. */
function flip(text: string, index: number): string {
  const c = text[index] === "A" ? "B" : "A";
  return text.slice(0, index) + c + text.slice(index + 1);
}

describe("cursor", () => {
  it("gives back the position it was made with, for the same scope", () => {
    expect(decodeCursor(encodeCursor(telnyx, page), telnyx)).toEqual(page);
    const openai: CursorScope = { provider: "openai", filters: { groups: true } };
    expect(decodeCursor(encodeCursor(openai, after), openai)).toEqual(after);
  });

  it("keeps a Telnyx position's last row place, and refuses one that is not a place", () => {
    const withLast: VendorPosition = {
      ...page,
      total: 2600,
      last: { createdAt: "2024-05-01T10:00:00.000Z", id: "usr_1" },
    };
    expect(decodeCursor(encodeCursor(telnyx, withLast), telnyx)).toEqual(withLast);
    const noTime: VendorPosition = { ...page, last: { createdAt: null, id: "usr_1" } };
    expect(decodeCursor(encodeCursor(telnyx, noTime), telnyx)).toEqual(noTime);
    for (const last of [
      { createdAt: null, id: "" },
      { createdAt: null, id: "u", extra: 1 },
      { id: "u" },
    ]) {
      const forged = encodeCursor(telnyx, { ...page, last } as unknown as VendorPosition);
      expect(
        codeOf(() => decodeCursor(forged, telnyx)),
        JSON.stringify(last),
      ).toBe("400 invalid_cursor");
    }
  });

  it("is opaque: neither the email filter nor the vendor's field names show in clear", () => {
    const cursor = encodeCursor(telnyx, page);
    expect(cursor).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(cursor).not.toContain("ann");
    expect(Buffer.from(cursor.split(".")[0] ?? "", "base64url").toString()).not.toContain("ann");
  });

  it("refuses a cursor made for the other provider", () => {
    const cursor = encodeCursor(telnyx, page);
    expect(codeOf(() => decodeCursor(cursor, { ...telnyx, provider: "openai" }))).toBe(
      "400 invalid_cursor",
    );
  });

  it.each([
    { status: "blocked" as const, email: "ann", groups: false },
    { email: "ann", groups: false },
    { status: "enabled" as const, email: "Ann", groups: false },
    { status: "enabled" as const, groups: false },
    { status: "enabled" as const, email: "ann", groups: true },
  ])("refuses a cursor made for other filters: %j", (filters) => {
    const cursor = encodeCursor(telnyx, page);
    expect(codeOf(() => decodeCursor(cursor, { provider: "telnyx", filters }))).toBe(
      "400 invalid_cursor",
    );
  });

  it("refuses any altered character, in the payload or in the signature", () => {
    const cursor = encodeCursor(telnyx, page);
    for (let i = 0; i < cursor.length; i++) {
      if (cursor[i] === ".") continue;
      expect(
        codeOf(() => decodeCursor(flip(cursor, i), telnyx)),
        `index ${i}`,
      ).toBe("400 invalid_cursor");
    }
    expect(codeOf(() => decodeCursor(`${cursor}A`, telnyx))).toBe("400 invalid_cursor");
    expect(codeOf(() => decodeCursor(`${cursor}!`, telnyx))).toBe("400 invalid_cursor");
  });

  it("refuses a payload re-signed with another key, and garbage", () => {
    const [, signature] = encodeCursor(telnyx, page).split(".");
    const forged = Buffer.from(
      JSON.stringify({ v: 1, provider: "telnyx", filters: "x", position: page }),
    ).toString("base64url");
    for (const bad of [
      `${forged}.${signature}`,
      "",
      ".",
      "abc",
      "a.b.c",
      "%%%.%%%",
      "eyJ9.eyJ9",
      "😀.😀",
    ]) {
      expect(
        codeOf(() => decodeCursor(bad, telnyx)),
        bad,
      ).toBe("400 invalid_cursor");
    }
  });
});
