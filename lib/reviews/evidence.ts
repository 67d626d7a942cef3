import "server-only";

import { createHash } from "node:crypto";

import { CSV_BOM, csvRow } from "@/lib/export/csv";
import packageJson from "@/package.json";

import { DECISIONS, type ReviewItem, type ReviewSummary } from "./schema";

/**
 * v2: the log's `review.closed` entry holds this file's sha256 too, so the
 * file names that entry by its seq and the hash before it (v1 named its hash).
 */
export const EVIDENCE_FORMAT = "roster.access-review.v2";

/** The evidence CSV's columns, in order (also its header). */
export const EVIDENCE_COLUMNS = [
  "item_id",
  "provider",
  "account_id",
  "email",
  "name",
  "status",
  "role",
  "created_at",
  "last_active_at",
  "groups",
  "flags",
  "change",
  "decision",
  "reviewer",
  "decided_at",
  "comment",
  "snapshot_id",
] as const;

type EvidenceItem = ReviewItem & { snapshotId?: number };

function evidenceRow(item: EvidenceItem): (string | null)[] {
  return [
    String(item.id),
    item.provider,
    item.userId,
    item.email,
    item.name,
    item.status,
    item.role,
    item.createdAt,
    item.lastActiveAt,
    item.groups ? item.groups.map((g) => g.name).join("; ") : null,
    item.flags.join("; ") || null,
    item.change,
    item.decision,
    item.decidedBy,
    item.decidedAt,
    item.comment,
    item.snapshotId === undefined ? null : String(item.snapshotId),
  ];
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The revoke list's columns: what whoever removes the accounts needs. */
export const REVOKE_COLUMNS = [
  "provider",
  "account_id",
  "email",
  "name",
  "role",
  "status",
  "flags",
  "comment",
  "reviewer",
  "decided_at",
] as const;

export function revokeCsv(items: readonly ReviewItem[]): string {
  let text = CSV_BOM + csvRow([...REVOKE_COLUMNS]);
  for (const item of items) {
    text += csvRow([
      item.provider,
      item.userId,
      item.email,
      item.name,
      item.role,
      item.status,
      item.flags.join("; ") || null,
      item.comment,
      item.decidedBy,
      item.decidedAt,
    ]);
  }
  return text;
}

export interface ManifestInput {
  review: ReviewSummary;
  /** Items with their snapshot ids, in id order. */
  items: readonly EvidenceItem[];
  csv: string;
  csvSha256: string;
  /** Where the `review.closed` entry goes in the chain (it will hold this file's hash). */
  closedEntry: { seq: number; prevHash: string };
}

/** Builds both evidence files; they are stored at closing and served as stored. */
export const buildEvidence = {
  /** RFC 4180 with the formula guard (lib/export/csv.ts), a BOM, items in id order. */
  csv(items: readonly EvidenceItem[]): {
    csv: string;
    csvSha256: string;
  } {
    let csv = CSV_BOM + csvRow([...EVIDENCE_COLUMNS]);
    for (const item of items) csv += csvRow(evidenceRow(item));
    return { csv, csvSha256: sha256(csv) };
  },

  /** The JSON manifest, pretty-printed with a final newline, and the sha256 of its UTF-8 bytes. */
  manifest(input: ManifestInput): { json: string; jsonSha256: string } {
    const { review, items } = input;
    const counts = Object.fromEntries(
      DECISIONS.map((d) => [d, items.filter((item) => item.decision === d).length]),
    );
    const reviewers = [
      ...new Set(items.map((item) => item.decidedBy).filter((r) => r !== null)),
    ].sort();
    const manifest = {
      format: EVIDENCE_FORMAT,
      rosterVersion: packageJson.version,
      review: {
        id: review.id,
        name: review.name,
        dueDate: review.dueDate,
        createdBy: review.createdBy,
        createdAt: review.createdAt,
        closedBy: review.closedBy,
        closedAt: review.closedAt,
        previousReviewId: review.previousReviewId,
      },
      scope: review.scope,
      population: review.snapshots.map((snapshot) => ({
        provider: snapshot.provider,
        snapshotId: snapshot.snapshotId,
        snapshotTime: snapshot.finishedAt,
        snapshotRows: snapshot.snapshotRows,
        vendorTotal: snapshot.vendorTotal,
        accountsInScope: snapshot.accountsInScope,
        completenessProof: snapshot.proof,
      })),
      reviewers,
      counts: {
        accounts: items.length,
        ...counts,
        flagged: items.filter((item) => item.flags.length > 0).length,
        changedSincePrevious: items.filter((item) => item.change === "changed").length,
        newSincePrevious: items.filter((item) => item.change === "new").length,
      },
      evidenceCsv: {
        file: `roster-review-${review.id}-evidence.csv`,
        sha256: input.csvSha256,
        bytes: Buffer.byteLength(input.csv, "utf8"),
        rows: items.length,
        columns: EVIDENCE_COLUMNS,
      },
      activityLog: { closedEntry: input.closedEntry },
    };
    const json = `${JSON.stringify(manifest, null, 2)}\n`;
    return { json, jsonSha256: sha256(json) };
  },
};
