import { describe, expect, it } from "vitest";

import { snapshotsText } from "./snapshots-text";

describe("snapshotsText", () => {
  it("names each snapshot's vendor, so two snapshot ids are not left to guess", () => {
    expect(
      snapshotsText([
        { provider: "openai", snapshotId: 4, finishedAt: "2026-12-07T09:54:08.000Z" },
        { provider: "telnyx", snapshotId: 3, finishedAt: null },
      ]),
    ).toBe("OpenAI snapshot #4 (2026-12-07 09:54 UTC), Telnyx snapshot #3 (time unknown)");
  });
});
