import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { formatExact } from "@/lib/users/format-date";

import { NextSync, nextSyncText } from "./next-sync";

const NOW = Date.parse("2026-12-06T10:00:00Z");
const MINUTE = 60_000;
const at = (ms: number) => new Date(NOW + ms);

describe("nextSyncText", () => {
  it("says when the schedule syncs next, or tries again after a failure", () => {
    expect(nextSyncText(at(12 * MINUTE + 30_000), NOW, false)).toBe("Next sync in 12 minutes");
    expect(nextSyncText(at(4 * MINUTE), NOW, true)).toBe("Next try in 4 minutes");
    expect(nextSyncText(at(2 * 60 * MINUTE), NOW, false)).toBe("Next sync in 2 hours");
  });

  it("says within a minute for a time less than a minute off or past", () => {
    expect(nextSyncText(at(59_000), NOW, true)).toBe("Next try within a minute");
    expect(nextSyncText(at(0), NOW, false)).toBe("Next sync within a minute");
    expect(nextSyncText(at(-3 * MINUTE), NOW, false)).toBe("Next sync within a minute");
  });
});

describe("NextSync", () => {
  const render = (iso: string | null, afterFailure = false) =>
    renderToStaticMarkup(createElement(NextSync, { at: iso, afterFailure }));

  it("shows the time in words, with the exact time in its title", () => {
    const iso = new Date(Date.now() + 90 * MINUTE).toISOString();
    const html = render(iso, true);
    expect(html).toContain(`dateTime="${iso}"`);
    expect(html).toContain(`title="${formatExact(new Date(iso))}"`);
    expect(html).toMatch(/>Next try in (1 hour|\d+ minutes)</);
  });

  it("shows nothing when the schedule will not sync", () => {
    expect(render(null)).toBe("");
  });
});
