import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** A password hash of no password in use: the unit tests sign in with minted session tokens. */
const UNUSED_HASH =
  "scrypt:32768:8:1:nR5Swn9Tn4J5r86gMEZzMg:nJilj0BDwhmxRhoSvsPjF90qJ60EFyYWcL8L8V0k8lI";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // `server-only` throws outside React Server Components; unit tests run server code directly.
      "server-only": fileURLToPath(new URL("./testing/server-only-stub.ts", import.meta.url)),
    },
  },
  test: {
    include: ["{lib,app,sandbox,scripts,components,bench,testing,lint}/**/*.test.ts"],
    environment: "node",
    globalSetup: ["./vitest.global-setup.ts"],
    setupFiles: ["./testing/setup.ts"],
    // The admins unit tests sign in as (testing/auth.ts); the hash is of no password in use.
    env: {
      ROSTER_ADMINS: [
        "admin@roster.test",
        "other@roster.test",
        "second@roster.test",
        "third@roster.test",
        "ana@example.com",
        "bo@example.com",
      ]
        .map((email) => `${email}=${UNUSED_HASH}`)
        .join(","),
    },
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine, where the
    // files' waits on PostgreSQL, child processes and sockets then leave a core idle. Two fill it
    // (the whole run 628 -> 460 s on 2 cores, the CPU then about 96 % busy).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
