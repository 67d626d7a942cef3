import "server-only";

import { AsyncLocalStorage } from "node:async_hooks";

/** What the credentials check decided, and for which email. */
export interface PasswordCheck {
  email: string;
  ok: boolean;
}

const current = new AsyncLocalStorage<{ check?: PasswordCheck }>();

/**
 * Runs a sign-in request and returns what the password check inside it
 * decided (undefined when no password was checked: a bad CSRF token, say).
 * The throttle counts this, not the HTTP answer, whose form next-auth picks
 * (a 401, or a redirect for a plain form post).
 */
export async function withPasswordCheck<T>(
  run: () => Promise<T>,
): Promise<{ result: T; check: PasswordCheck | undefined }> {
  const state: { check?: PasswordCheck } = {};
  const result = await current.run(state, run);
  return { result, check: state.check };
}

/** Called where the password is checked, with exactly the email it was checked for. */
export function reportPasswordCheck(check: PasswordCheck): void {
  const state = current.getStore();
  if (state) state.check = check;
}
