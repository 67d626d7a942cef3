import { Fragment } from "react";

import type { ReviewSummary } from "@/lib/reviews/schema";

/**
 * A closed review's evidence hashes, as stored at closing: an auditor compares them with
 * `sha256sum` of the downloads (README, "How an auditor verifies a package").
 */
export function EvidenceHashes({ review }: { review: ReviewSummary }) {
  const files = [
    { label: "Evidence CSV", sha256: review.evidenceCsvSha256 },
    { label: "Evidence manifest", sha256: review.evidenceJsonSha256 },
  ];
  return (
    <dl className="grid gap-x-3 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
      {files.map(({ label, sha256 }) => (
        <Fragment key={label}>
          <dt className="text-zinc-600 dark:text-zinc-400">{label} sha256</dt>
          <dd className="min-w-0 break-all">
            {sha256 ? (
              <code className="font-mono text-xs">{sha256}</code>
            ) : (
              // Closed before Roster kept the manifest's hash, and no log entry held it (v1).
              "not recorded at closing: run sha256sum on the downloaded file"
            )}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}
