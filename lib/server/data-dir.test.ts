import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { dataDirProblem } from "./data-dir";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "roster-data-dir-"));
  // What `next build` leaves: the build folder with its BUILD_ID, the standalone server inside.
  mkdirSync(path.join(root, ".next", "standalone"), { recursive: true });
  writeFileSync(path.join(root, ".next", "BUILD_ID"), "build");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("dataDirProblem", () => {
  it("refuses a relative ROSTER_DATA_DIR taken from the standalone server's folder, naming the fix", () => {
    const standalone = path.join(root, ".next", "standalone");
    const problem = dataDirProblem(".roster", standalone);
    expect(problem).toContain(`ROSTER_DATA_DIR (".roster")`);
    expect(problem).toContain(path.join(standalone, ".roster"));
    expect(problem).toContain(`inside the build folder ${path.join(root, ".next")}`);
    expect(problem).toMatch(/Set ROSTER_DATA_DIR to an absolute path outside it/);
  });

  it("refuses an absolute path inside a build folder", () => {
    expect(dataDirProblem(path.join(root, ".next", "data"), "/")).toMatch(
      /inside the build folder/,
    );
  });

  it("accepts a folder outside any build: the repository's .roster, or the image's /data", () => {
    expect(dataDirProblem(".roster", root)).toBeNull();
    expect(dataDirProblem(path.join(root, "data"), "/")).toBeNull();
  });
});
