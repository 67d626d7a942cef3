/**
 * Runs once when a Roster server starts, before it serves a request: the
 * database must answer (and is migrated) or the start fails with a message
 * naming DATABASE_URL; then the server's background work begins.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/server/start");
  await startServer();
}
