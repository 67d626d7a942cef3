/**
 * Deliberately empty. Without it, Turbopack (its root is the repository's, for
 * node_modules) takes Roster's instrumentation.ts, which refuses to start here.
 */
export function register() {}
