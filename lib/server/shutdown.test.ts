import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { STOP_SYNCS_MS } from "./shutdown";

describe("stopping in a container", () => {
  it("gives Roster longer to exit in compose than it waits for its syncs, with time to close the database", () => {
    const compose = readFileSync(path.join(import.meta.dirname, "../../compose.yaml"), "utf8");
    // The roster service's block: from its key to the next top-level-of-services key or the end.
    const service = /\n {2}roster:\n((?: {4}.*\n|\s*\n)*)/.exec(compose)?.[1] ?? "";
    const grace = /^ {4}stop_grace_period: (\d+)s$/m.exec(service)?.[1];
    expect(grace, "compose.yaml: the roster service's stop_grace_period").toBeDefined();
    expect(Number(grace) * 1000).toBeGreaterThanOrEqual(STOP_SYNCS_MS + 10_000);
  });
});
