import "server-only";

/**
 * A signal of its own for one SDK call. The SDKs add an abort listener to the
 * signal they are given on every attempt and never remove it; a long export or
 * scan sharing one signal would pile them up.
 */
export function requestSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  return signal && AbortSignal.any([signal]);
}

/** An AbortController that follows `parent` and can also be aborted on its own (to stop in-flight work). */
export function childController(parent: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", () => controller.abort(parent.reason), { once: true });
  return controller;
}

/**
 * The overall deadline of one list request. `signal` follows the caller and
 * the deadline; `expired()` tells the deadline apart from the caller leaving.
 */
export function listDeadline(
  parent: AbortSignal | undefined,
  ms: number,
): { signal: AbortSignal; expired: () => boolean } {
  const timeout = AbortSignal.timeout(ms);
  return {
    signal: parent ? AbortSignal.any([parent, timeout]) : timeout,
    expired: () => timeout.aborted && !parent?.aborted,
  };
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it
 * aborts: the SDKs check their signal before each attempt but not while they
 * sleep between retries, which a deadline must not wait out.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
