import type { RosterUpload } from "@/lib/people/schema";
import { formatCount } from "@/lib/users/format-count";

/** A roster in force in words: "3,534 people, uploaded by ana@example.com on 2026-12-07". */
export function rosterSummary(upload: Pick<RosterUpload, "rows" | "uploadedBy" | "uploadedAt">) {
  const people = `${formatCount(upload.rows)} ${upload.rows === 1 ? "person" : "people"}`;
  return `${people}, uploaded by ${upload.uploadedBy} on ${upload.uploadedAt.slice(0, 10)}`;
}
