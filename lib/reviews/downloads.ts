import "server-only";

import { createHash } from "node:crypto";

import { recordActivity } from "@/lib/activity/log";
import { getDb } from "@/lib/db/client";

import { revokeCsv } from "./evidence";
import { fileResponse } from "./http";
import { getEvidence, revokeItems } from "./store";

type File = "evidence.csv" | "evidence.json" | "revoke.csv";

/** Serves one of a review's files and records who downloaded it and its hash. */
export async function downloadReviewFile(
  admin: string,
  reviewId: number,
  file: File,
): Promise<Response> {
  const db = await getDb();
  let bytes: Uint8Array;
  let rows: number;
  if (file === "revoke.csv") {
    const items = await revokeItems(db, reviewId);
    bytes = new TextEncoder().encode(revokeCsv(items));
    rows = items.length;
  } else {
    ({ bytes, rows } = await getEvidence(db, reviewId, file === "evidence.csv" ? "csv" : "json"));
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  await recordActivity(db, {
    kind: "review.downloaded",
    admin,
    details: { reviewId, file, rows, sha256 },
  });
  const [base, ext] = file.split(".") as [string, string];
  return fileResponse(
    bytes,
    `roster-review-${reviewId}-${base}.${ext}`,
    ext === "csv" ? "text/csv" : "application/json",
  );
}
