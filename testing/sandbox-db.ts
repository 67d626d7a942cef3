/**
 * A sandbox for the vendors and a fresh PGlite database that the app's
 * `getDb()` answers with, for the tests of one `describe`: started before its
 * tests, closed after them.
 */
import { afterAll, beforeAll } from "vitest";

import { closeDb, useDbForTests } from "@/lib/db/client";
import { startSandbox, type Sandbox } from "@/sandbox/server";

import { createTestDb, type TestDbHandle } from "./db";
import { pointEnvAt } from "./providers";

export interface SandboxAndDb {
  sandbox: Sandbox;
  handle: TestDbHandle;
}

/** Read the fields inside the tests: they are set once `beforeAll` has run. */
export function withSandboxAndDb(users: {
  telnyxUsers: number;
  openaiUsers: number;
}): SandboxAndDb {
  const env = {} as SandboxAndDb;
  beforeAll(async () => {
    env.sandbox = await startSandbox({ port: 0, ...users });
    pointEnvAt(env.sandbox);
    env.handle = await createTestDb("pglite");
    useDbForTests(env.handle);
  });
  afterAll(async () => {
    await closeDb();
    await env.sandbox.close();
  });
  return env;
}
