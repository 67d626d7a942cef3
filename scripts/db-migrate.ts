/**
 * `npm run db:migrate`: applies the migrations to DATABASE_URL, or to the
 * embedded database in ROSTER_DATA_DIR. Roster also applies them at start;
 * this is for deployments that migrate as a separate step.
 */
import { getDbHandle, closeDb } from "@/lib/db/client";

try {
  const handle = await getDbHandle();
  console.log(`Migrations applied (${handle.kind}: ${handle.where}).`);
  await closeDb();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
