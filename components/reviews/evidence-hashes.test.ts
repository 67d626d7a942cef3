import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import type { ReviewSummary } from "@/lib/reviews/schema";

import { EvidenceHashes } from "./evidence-hashes";

const CSV = "a".repeat(64);
const JSON_SHA = "b".repeat(64);

function render(hashes: Pick<ReviewSummary, "evidenceCsvSha256" | "evidenceJsonSha256">): string {
  const review = { ...hashes } as ReviewSummary;
  return renderToStaticMarkup(createElement(EvidenceHashes, { review }));
}

describe("EvidenceHashes", () => {
  it("shows both evidence files' sha256", () => {
    const html = render({ evidenceCsvSha256: CSV, evidenceJsonSha256: JSON_SHA });
    expect(html).toContain(`<dt class="text-zinc-600 dark:text-zinc-400">Evidence CSV sha256</dt>`);
    expect(html).toContain(`<code class="font-mono text-xs">${CSV}</code>`);
    expect(html).toContain("Evidence manifest sha256");
    expect(html).toContain(`<code class="font-mono text-xs">${JSON_SHA}</code>`);
  });

  it("says a manifest hash closed without one was not recorded", () => {
    const html = render({ evidenceCsvSha256: CSV, evidenceJsonSha256: null });
    expect(html).toContain(`<code class="font-mono text-xs">${CSV}</code>`);
    expect(html).toContain("not recorded at closing: run sha256sum on the downloaded file");
  });
});
