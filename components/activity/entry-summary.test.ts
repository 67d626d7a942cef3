import { describe, expect, it } from "vitest";

import { ACTIVITY_KINDS, type ActivityKind } from "@/lib/activity/contract";
import { ACTIVITY_DETAILS } from "@/lib/activity/schema";

import { entrySummary } from "./entry-summary";

const HASH = "a".repeat(64);

/** Details as Roster writes them, each checked against the kind's schema first. */
function summary(kind: ActivityKind, details: Record<string, unknown>) {
  ACTIVITY_DETAILS[kind].parse(details);
  return entrySummary(kind, details);
}

describe("entrySummary", () => {
  it("puts each kind of entry in words", () => {
    const cases: [ActivityKind, Record<string, unknown>, string][] = [
      ["auth.sign_in", { method: "credentials", outcome: "success" }, "Signed in with password"],
      [
        "auth.sign_in",
        { method: "oidc", outcome: "failure", reason: "not_allowed", address: "203.0.113.9" },
        "Sign-in with single sign-on failed (not_allowed) from 203.0.113.9",
      ],
      [
        "auth.sign_in",
        { method: "credentials", outcome: "throttled", address: null },
        "Sign-in with password refused: too many failed attempts",
      ],
      ["auth.sign_out", {}, "Signed out"],
      [
        "directory.sync",
        { provider: "telnyx", snapshotId: 3, outcome: "started" },
        "Telnyx sync started, snapshot 3",
      ],
      [
        "directory.sync",
        {
          provider: "openai",
          snapshotId: 4,
          outcome: "succeeded",
          rows: 20000,
          durationMs: 11_800,
        },
        "OpenAI sync succeeded: 20,000 users in 12 s, snapshot 4",
      ],
      [
        "directory.sync",
        { provider: "openai", snapshotId: 5, outcome: "succeeded", rows: 1, durationMs: 476 },
        "OpenAI sync succeeded: 1 user in 0.5 s, snapshot 5",
      ],
      [
        "directory.sync",
        {
          provider: "telnyx",
          snapshotId: 8,
          outcome: "succeeded",
          rows: 2500,
          activityUpdated: 312,
          durationMs: 1_400,
        },
        "Telnyx sync succeeded: 2,500 users in 1.4 s, snapshot 8; 312 users' last activity updated",
      ],
      [
        "directory.sync",
        { provider: "telnyx", snapshotId: 9, outcome: "succeeded", rows: 2, activityUpdated: 1 },
        "Telnyx sync succeeded: 2 users, snapshot 9; 1 user's last activity updated",
      ],
      [
        "directory.sync",
        { provider: "telnyx", snapshotId: 10, outcome: "succeeded", rows: 2, activityUpdated: 0 },
        "Telnyx sync succeeded: 2 users, snapshot 10",
      ],
      [
        "directory.sync",
        {
          provider: "telnyx",
          snapshotId: 6,
          outcome: "failed",
          error: "upstream_unavailable",
          durationMs: 2_345,
        },
        "Telnyx sync failed (upstream_unavailable) after 2.3 s, snapshot 6",
      ],
      [
        "directory.sync",
        { provider: "telnyx", snapshotId: 7, outcome: "cancel_requested" },
        "Asked the Telnyx sync to stop, snapshot 7",
      ],
      [
        "export.started",
        {
          provider: "telnyx",
          source: "directory",
          snapshotId: 3,
          filters: { status: "blocked", email: false, groups: true },
          columns: ["email", "status"],
        },
        "CSV export of Telnyx users started: directory snapshot 3, status blocked, 2 columns",
      ],
      [
        "export.started",
        {
          provider: "openai",
          source: "vendor",
          snapshotId: null,
          filters: { status: null, email: true, groups: false },
          columns: ["email"],
        },
        "CSV export of OpenAI users started: live from OpenAI, an email filter, 1 column",
      ],
      [
        "export.started",
        {
          list: "people",
          provider: null,
          source: "directory",
          snapshotId: null,
          people: { generation: 2, telnyxSnapshotId: 3, openaiSnapshotId: 4, rosterUploadId: null },
          filters: { flags: ["dormant"], vendors: [], email: false },
          columns: ["email"],
        },
        "CSV export of People started: directory, flags dormant, 1 column",
      ],
      [
        "export.started",
        {
          list: "people",
          provider: null,
          source: "directory",
          snapshotId: null,
          filters: {
            flags: ["leaver_with_access", "privileged"],
            vendors: ["telnyx"],
            email: true,
          },
          columns: ["email"],
        },
        "CSV export of People started: directory, flags leaver with access + privileged, in Telnyx, an email filter, 1 column",
      ],
      [
        "export.started",
        {
          list: "changes",
          provider: "openai",
          source: "directory",
          snapshotId: 4,
          filters: { from: "2", to: "4", change: "changed", field: "role" },
          columns: ["change", "id"],
        },
        "CSV export of OpenAI Changes started: directory snapshot 4, from snapshot 2, role changes only, 2 columns",
      ],
      [
        "export.started",
        {
          list: "changes",
          provider: "openai",
          source: "directory",
          snapshotId: 4,
          filters: { from: "2020-01-01T00:00:00.000Z", to: "4", change: "removed" },
          columns: ["change"],
        },
        "CSV export of OpenAI Changes started: directory snapshot 4, from 2020-01-01T00:00:00.000Z, removed users only, 1 column",
      ],
      [
        "export.finished",
        {
          exportId: 12,
          outcome: "ok",
          rows: 2500,
          bytes: 312_400,
          sha256: HASH,
          durationMs: 900,
        },
        `CSV export (#12) finished: 2,500 rows, 312.4 kB, sha256 ${HASH}`,
      ],
      [
        "export.finished",
        {
          exportId: 13,
          outcome: "failed",
          rows: 100,
          bytes: 9000,
          sha256: HASH,
          durationMs: 900,
          error: "list_changed",
        },
        "CSV export (#13) failed (list_changed) after 100 rows",
      ],
      [
        "roster.upload",
        { outcome: "ok", uploadId: 2, rows: 120, bytes: 4_100, sha256: HASH },
        `HR roster uploaded (upload 2): 120 rows, 4.1 kB, sha256 ${HASH}`,
      ],
      [
        "roster.upload",
        { outcome: "rejected", rows: 0, bytes: 12, error: "missing_email_column" },
        "HR roster refused (missing_email_column): 12 bytes",
      ],
      ["roster.removed", { uploadId: 2 }, "HR roster removed (upload 2)"],
      [
        "offboarding.check",
        { addresses: 40, stillWithAccess: 3, notChecked: 1, durationMs: 200 },
        "Offboarding check of 40 addresses: 3 still with access, 1 not checked (0.2 s)",
      ],
      [
        "review.created",
        { reviewId: 3, providers: ["openai", "telnyx"], items: 69, snapshotIds: [4, 3] },
        "Review #3 started: 69 accounts in OpenAI and Telnyx",
      ],
      [
        "review.decided",
        { reviewId: 3, items: 5, keep: 3, revoke: 0, follow_up: 2 },
        "Review #3: 5 decisions (keep 3, follow up 2)",
      ],
      [
        "review.closed",
        { reviewId: 3, items: 69, csvSha256: HASH, jsonSha256: "b".repeat(64) },
        `Review #3 closed: 69 accounts; evidence.csv sha256 ${HASH}; evidence.json sha256 ${"b".repeat(64)}`,
      ],
      [
        "review.downloaded",
        { reviewId: 3, file: "revoke.csv", rows: 1, sha256: HASH },
        `Review #3: downloaded revoke.csv (1 row), sha256 ${HASH}`,
      ],
      [
        "activity.exported",
        {
          filters: { kind: null, admin: false, from: null, to: null },
          outcome: "ok",
          rows: 1,
          bytes: 300,
          sha256: HASH,
        },
        `Activity log exported: 1 entry, sha256 ${HASH}`,
      ],
      [
        "activity.pruned",
        { throughSeq: 1040, deleted: 1040, anchorHash: HASH },
        `Retention deleted 1,040 entries through #1040; the chain now starts at hash ${HASH}`,
      ],
    ];
    for (const [kind, details, text] of cases) expect(summary(kind, details)).toBe(text);
  });

  it("has words for every kind the log holds", () => {
    const samples: Record<ActivityKind, Record<string, unknown>> = {
      "auth.sign_in": { method: "credentials", outcome: "success" },
      "auth.sign_out": {},
      "export.started": {
        provider: "telnyx",
        source: "vendor",
        snapshotId: null,
        filters: { status: null, email: false, groups: false },
        columns: [],
      },
      "export.finished": {
        exportId: 1,
        outcome: "cancelled",
        rows: 0,
        bytes: 0,
        sha256: HASH,
        durationMs: 1,
      },
      "directory.sync": { provider: "openai", snapshotId: 1, outcome: "cancelled" },
      "roster.upload": { outcome: "ok", uploadId: 1, rows: 1, bytes: 1, sha256: HASH },
      "roster.removed": { uploadId: 1 },
      "offboarding.check": { addresses: 1, stillWithAccess: 0, notChecked: 0, durationMs: 1 },
      "review.created": { reviewId: 1, providers: ["telnyx"], items: 1, snapshotIds: [1] },
      "review.decided": { reviewId: 1, items: 1, keep: 1, revoke: 0, follow_up: 0 },
      "review.closed": { reviewId: 1, items: 1, csvSha256: HASH, jsonSha256: HASH },
      "review.downloaded": { reviewId: 1, file: "evidence.json", rows: 1, sha256: HASH },
      "activity.exported": {
        filters: { kind: null, admin: true, from: null, to: null },
        outcome: "cancelled",
        rows: 0,
        bytes: 0,
        sha256: HASH,
      },
      "activity.pruned": { throughSeq: 1, deleted: 1, anchorHash: HASH },
    };
    for (const kind of ACTIVITY_KINDS) {
      expect(summary(kind, samples[kind]), kind).toEqual(expect.any(String));
    }
  });

  it("is null for a kind it does not know, and for details not shaped as that kind's", () => {
    expect(entrySummary("vendor.new_kind", { provider: "telnyx" })).toBeNull();
    expect(entrySummary("toString", {})).toBeNull();
    expect(entrySummary("directory.sync", { provider: "slack", outcome: "started" })).toBeNull();
    expect(entrySummary("directory.sync", { provider: "telnyx", outcome: "exploded" })).toBeNull();
    expect(entrySummary("directory.sync", { provider: "telnyx", outcome: "succeeded" })).toBeNull();
    expect(entrySummary("review.closed", { reviewId: "3", items: 1 })).toBeNull();
    expect(entrySummary("activity.exported", { outcome: "lost", rows: 1 })).toBeNull();
    expect(entrySummary("auth.sign_in", { method: "magic", outcome: "success" })).toBeNull();
  });
});
