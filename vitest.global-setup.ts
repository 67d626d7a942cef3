import type { TestProject } from "vitest/node";

import { startPostgresCluster } from "./scripts/pg-cluster.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseUrl: string;
  }
}

/**
 * One throwaway PostgreSQL cluster for the whole run, unless TEST_DATABASE_URL
 * names a server already (npm test starts one and shares it with e2e).
 */
export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("testDatabaseUrl", process.env.TEST_DATABASE_URL);
    return;
  }
  const cluster = await startPostgresCluster();
  project.provide("testDatabaseUrl", cluster.url);
  return () => cluster.stop();
}
