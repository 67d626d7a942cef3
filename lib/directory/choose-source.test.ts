import { describe, expect, it } from "vitest";

import { chooseSource, DIRECTORY_FRESH_MS, rosterSideFilters } from "./choose-source";
import type { DirectoryStatus } from "./schema";

const NOW = Date.parse("2026-12-04T12:00:00Z");

function status(finishedAgoMs: number | null): DirectoryStatus {
  const entry = (ago: number | null) => ({
    configured: true,
    current:
      ago === null
        ? null
        : { snapshotId: 7, finishedAt: new Date(NOW - ago).toISOString(), rows: 10 },
    running: null,
    lastFailure: null,
    nextScheduledAt: null,
  });
  return { providers: { telnyx: entry(finishedAgoMs), openai: entry(finishedAgoMs) } };
}

describe("chooseSource", () => {
  const blocked = { status: "blocked" as const, groups: false };

  it("keeps the admin's choice whatever the directory holds", () => {
    for (const chosen of ["vendor", "directory"] as const) {
      expect(
        chooseSource({ provider: "openai", filters: blocked, chosen, status: undefined, now: NOW }),
      ).toEqual({ source: chosen, automatic: false, reason: null });
    }
  });

  it("reads live when the vendor applies every filter itself, without waiting for the status", () => {
    expect(
      chooseSource({
        provider: "telnyx",
        filters: { status: "enabled", email: "ana", groups: false },
        chosen: null,
        status: undefined,
        now: NOW,
      }),
    ).toMatchObject({ source: "vendor", automatic: true });
    expect(
      chooseSource({
        provider: "openai",
        filters: { groups: true },
        chosen: null,
        status: undefined,
        now: NOW,
      }),
    ).toMatchObject({ source: "vendor", automatic: true });
  });

  it("waits for the status when a Roster-side filter makes it matter", () => {
    expect(
      chooseSource({
        provider: "openai",
        filters: blocked,
        chosen: null,
        status: undefined,
        now: NOW,
      }),
    ).toBeNull();
  });

  it("takes the directory for an OpenAI status or email filter when a recent snapshot exists", () => {
    const choice = chooseSource({
      provider: "openai",
      filters: { email: "ana", groups: false },
      chosen: null,
      status: status(5 * 60_000),
      now: NOW,
    });
    expect(choice).toEqual({
      source: "directory",
      automatic: true,
      reason: "OpenAI cannot filter by part of an email: read from the directory.",
    });
  });

  it("reads live when the snapshot is too old, missing, or the status failed", () => {
    for (const s of [status(DIRECTORY_FRESH_MS + 1), status(null), "unavailable" as const]) {
      expect(
        chooseSource({ provider: "openai", filters: blocked, chosen: null, status: s, now: NOW }),
      ).toMatchObject({ source: "vendor", automatic: true, reason: null });
    }
  });
});

describe("rosterSideFilters", () => {
  it("names the filters OpenAI cannot apply, and none for Telnyx", () => {
    const filters = { status: "blocked" as const, email: "x", groups: true };
    expect(rosterSideFilters("openai", filters)).toEqual(["status", "email"]);
    expect(rosterSideFilters("telnyx", filters)).toEqual([]);
  });
});
