import "server-only";

import { AsyncLocalStorage } from "node:async_hooks";

const current = new AsyncLocalStorage<{ failed?: boolean }>();

/**
 * Runs a sign-out request and says whether its session could not be revoked.
 * next-auth catches whatever its signOut event throws and clears the cookie
 * anyway, so without this a sign-out whose revocation was never written
 * looked done while a copy of the cookie still worked.
 */
export async function withSignOutCheck<T>(
  run: () => Promise<T>,
): Promise<{ result: T; revocationFailed: boolean }> {
  const state: { failed?: boolean } = {};
  const result = await current.run(state, run);
  return { result, revocationFailed: state.failed === true };
}

/** Called by the signOut event when the session's revocation could not be written. */
export function reportRevocationFailure(): void {
  const state = current.getStore();
  if (state) state.failed = true;
}
