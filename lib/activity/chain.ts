import "server-only";

import { createHash } from "node:crypto";

import { canonicalJson } from "./canonical";

/** The `prevHash` of the very first entry. */
export const GENESIS_HASH = "0".repeat(64);

export interface ChainedFields {
  seq: number;
  at: Date;
  kind: string;
  admin: string | null;
  details: Record<string, unknown>;
  prevHash: string;
}

/**
 * An entry's hash: sha256 (hex) of the canonical JSON of
 * `{ v: 1, seq, at, kind, admin, details, prevHash }`, `at` as ISO 8601 UTC
 * with milliseconds. The README spells this out for auditors.
 */
export function entryHash(entry: ChainedFields): string {
  const canonical = canonicalJson({
    v: 1,
    seq: entry.seq,
    at: entry.at.toISOString(),
    kind: entry.kind,
    admin: entry.admin,
    details: entry.details,
    prevHash: entry.prevHash,
  });
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
