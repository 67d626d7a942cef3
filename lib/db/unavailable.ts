import "server-only";

/** Network errors of a connection to the database server (node-postgres passes Node's own). */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/**
 * SQLSTATEs of a server that is going away or not taking connections: class 08
 * (connection exception), 57P01-57P03 (shut down by an admin, crashed, starting
 * up), 53300 (too many connections).
 */
const SERVER_GONE = /^(08...|57P0[123]|53300)$/;

/** node-postgres's own errors for a connection that ended or never came (they have no code). */
const DRIVER_MESSAGES = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "is not queryable",
];

/**
 * Why `error` means the database is out of reach (stopped, restarting, the
 * network to it down), as a short word fit for the log: a Node error code, a
 * SQLSTATE or node-postgres's message, none of which holds the password. Null
 * for any other error, a failed query included. Looks through `cause`, where
 * Drizzle keeps the driver's error.
 */
export function databaseUnavailableReason(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause) {
    depth += 1;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || SERVER_GONE.test(code))) {
      return code;
    }
    const message = e instanceof Error ? e.message : "";
    const known = DRIVER_MESSAGES.find((text) => message.includes(text));
    if (known) return message.slice(0, 80);
  }
  return null;
}
