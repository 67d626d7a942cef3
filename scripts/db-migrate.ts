/**
 * `npm run db:migrate`: applies the migrations to DATABASE_URL, or to the
 * embedded database in ROSTER_DATA_DIR. Roster also applies them at start;
 * this is for deployments that migrate as a separate step. It reads the
 * environment as `next start` does (Next.js's own loader): the process
 * environment first, then `.env.production.local`, `.env.local`,
 * `.env.production` and `.env` in the working directory, so it migrates the
 * database `next start` would open.
 */
import nextEnv from "@next/env";

// A CommonJS module: its functions hang off the default export under Node's ESM loader.
nextEnv.loadEnvConfig(process.cwd());
// After the files are read: the database client reads the environment when it loads.
const { getDbHandle, closeDb } = await import("@/lib/db/client");

try {
  const handle = await getDbHandle();
  console.log(`Migrations applied (${handle.kind}: ${handle.where}).`);
  await closeDb();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
