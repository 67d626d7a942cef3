import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

import { openDb } from "./lib/db/client";
import { startPostgresCluster } from "./scripts/pg-cluster.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseUrl: string;
    /** A file holding a migrated, empty PGlite data folder (PGlite's dumpDataDir). */
    pgliteTemplate: string;
  }
}

/**
 * One migrated PGlite, copied to a file that every in-memory test database
 * starts from (testing/db.ts): opening a copy took 1.1 to 1.4 s where an
 * empty PGlite's initdb and the migrations took 5 to 6 (a busy 2-core
 * machine), and the unit tests open many.
 */
async function writePgliteTemplate(): Promise<{ file: string; remove: () => void }> {
  const folder = mkdtempSync(path.join(os.tmpdir(), "roster-vitest-"));
  const remove = () => rmSync(folder, { recursive: true, force: true });
  try {
    const handle = await openDb({ dataDir: "memory://" });
    try {
      const client = (
        handle.db as unknown as { $client: { dumpDataDir(c: "none"): Promise<Blob> } }
      ).$client;
      const file = path.join(folder, "pglite-template.tar");
      writeFileSync(file, new Uint8Array(await (await client.dumpDataDir("none")).arrayBuffer()));
      return { file, remove };
    } finally {
      await handle.close();
    }
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * One throwaway PostgreSQL cluster for the whole run, unless TEST_DATABASE_URL
 * names a server already (npm test starts one and shares it with e2e), and the
 * PGlite copy above.
 */
export default async function setup(project: TestProject) {
  const template = await writePgliteTemplate();
  project.provide("pgliteTemplate", template.file);
  if (process.env.TEST_DATABASE_URL) {
    project.provide("testDatabaseUrl", process.env.TEST_DATABASE_URL);
    return template.remove;
  }
  try {
    const cluster = await startPostgresCluster();
    project.provide("testDatabaseUrl", cluster.url);
    return () => {
      cluster.stop();
      template.remove();
    };
  } catch (error) {
    template.remove();
    throw error;
  }
}
