import "server-only";

import { AsyncLocalStorage } from "node:async_hooks";

const current = new AsyncLocalStorage<{ failure?: { error: unknown } }>();

/**
 * Runs a sign-out request and says why its session could not be revoked, if it could not.
 * next-auth catches whatever its signOut event throws and clears the cookie
 * anyway, so without this a sign-out whose revocation was never written
 * looked done while a copy of the cookie still worked.
 */
export async function withSignOutCheck<T>(
  run: () => Promise<T>,
): Promise<{ result: T; revocationFailure: { error: unknown } | null }> {
  const state: { failure?: { error: unknown } } = {};
  const result = await current.run(state, run);
  return { result, revocationFailure: state.failure ?? null };
}

/** Called by the signOut event when the session's revocation could not be written. */
export function reportRevocationFailure(error: unknown): void {
  const state = current.getStore();
  if (state) state.failure = { error };
}
