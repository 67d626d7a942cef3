import { defineConfig } from "drizzle-kit";

/** `npm run db:generate` writes a migration for schema changes; one schema for PGlite and PostgreSQL. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema/index.ts",
  out: "./lib/db/migrations",
});
