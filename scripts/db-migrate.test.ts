import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { runScript } from "@/testing/run-script";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "roster-migrate-"));
  folders.push(folder);
  return folder;
}

describe("npm run db:migrate", () => {
  it("reads .env.local as next start does, so it migrates the database the server opens", async () => {
    const dataDir = path.join(tempFolder(), "from-env-local");
    const { status, stdout, stderr } = await runScript(
      "scripts/db-migrate.ts",
      {},
      { ".env.local": `ROSTER_DATA_DIR=${dataDir}\n` },
    );
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toContain(`Migrations applied (pglite: ${path.join(dataDir, "pglite")})`);
  });

  it("takes the process environment over the files, and .env.local over .env", async () => {
    const fromProcess = path.join(tempFolder(), "from-process");
    const ignored = path.join(tempFolder(), "ignored");
    const first = await runScript(
      "scripts/db-migrate.ts",
      { ROSTER_DATA_DIR: fromProcess },
      { ".env.local": `ROSTER_DATA_DIR=${ignored}\n` },
    );
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`(pglite: ${path.join(fromProcess, "pglite")})`);

    const fromLocal = path.join(tempFolder(), "from-local");
    const second = await runScript(
      "scripts/db-migrate.ts",
      {},
      { ".env.local": `ROSTER_DATA_DIR=${fromLocal}\n`, ".env": `ROSTER_DATA_DIR=${ignored}\n` },
    );
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`(pglite: ${path.join(fromLocal, "pglite")})`);
  });
});
