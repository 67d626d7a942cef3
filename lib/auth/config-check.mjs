// @ts-check
/**
 * What a production server needs before it may serve anyone. `next.config.mjs`
 * runs this when `next start` loads the config, so a missing secret or sign-in
 * method stops the start with a message instead of surfacing on the first
 * request. `next build` does not run it: a build holds no secrets.
 */

/** @typedef {import("../env.mjs").Env} Env */

/**
 * @param {Env} env
 * @returns {{ credentials: boolean; oidc: boolean }}
 */
export function signInMethods(env) {
  return {
    credentials: Boolean(env.ROSTER_ADMINS),
    oidc: Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET),
  };
}

/**
 * Every reason `env` is not fit for production, in plain words naming the
 * variables; empty when it is.
 * @param {Env} env
 * @returns {string[]}
 */
export function productionAuthProblems(env) {
  const problems = [];
  if (!env.NEXTAUTH_SECRET) {
    problems.push(
      "NEXTAUTH_SECRET is not set (it signs sessions; create one with `openssl rand -base64 32`)",
    );
  }
  if (env.NEXTAUTH_SECRET && Buffer.byteLength(env.NEXTAUTH_SECRET, "utf8") < 32) {
    problems.push(
      "NEXTAUTH_SECRET is shorter than 32 bytes (create one with `openssl rand -base64 32`)",
    );
  }
  if (!env.NEXTAUTH_URL) {
    problems.push(
      "NEXTAUTH_URL is not set (the public URL of Roster, e.g. https://roster.example.com)",
    );
  }
  const methods = signInMethods(env);
  if (!methods.credentials && !methods.oidc) {
    problems.push(
      "no way to sign in: set ROSTER_ADMINS (email=hash entries from `npm run hash-password`) " +
        "or OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET",
    );
  }
  return problems;
}

/**
 * Throws when `env` is not fit for production.
 * @param {Env} env
 */
export function assertProductionAuthConfig(env) {
  const problems = productionAuthProblems(env);
  if (problems.length > 0) {
    throw new Error(
      `Roster will not start in production:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  if (env.NEXTAUTH_URL && !env.NEXTAUTH_URL.startsWith("https://")) {
    const host = new URL(env.NEXTAUTH_URL).hostname;
    if (!["localhost", "127.0.0.1", "[::1]"].includes(host)) {
      console.warn(
        `[roster] NEXTAUTH_URL is not https: session cookies will not be marked Secure. Serve Roster over https.`,
      );
    }
  }
}
