// @ts-check
import { PHASE_PRODUCTION_SERVER } from "next/constants.js";

import { assertProductionAuthConfig } from "./lib/auth/config-check.mjs";
import { parseEnv } from "./lib/env.mjs";
import { NON_DOCUMENT_CSP, baseSecurityHeaders } from "./lib/security/headers.mjs";

/**
 * Validating here makes a bad env stop `next build` and `next start` with a
 * message that names the variable, instead of failing on the first request.
 * `next start` also refuses to run without a session secret and a way to sign in.
 * @param {string} phase
 * @returns {import("next").NextConfig}
 */
export default function nextConfig(phase) {
  const env = parseEnv();
  if (phase === PHASE_PRODUCTION_SERVER) assertProductionAuthConfig(env);
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    // Separate build folders let several builds (tests, benchmarks) coexist.
    distDir: process.env.ROSTER_DIST_DIR || ".next",
    // A self-contained server (`node .next/standalone/server.js`) for the container image.
    output: "standalone",
    // Read from disk at start (lib/db/migrate.ts), so tracing cannot see them.
    outputFileTracingIncludes: { "/**": ["./lib/db/migrations/**"] },
    serverExternalPackages: ["telnyx", "openai", "@electric-sql/pglite", "pg"],
    // `npm test` builds the e2e app first without Next's type check and then runs its own over the
    // same tsconfig, which then includes the build's route types (.next/types): one check, not two.
    // Every other build checks types as usual.
    typescript: { ignoreBuildErrors: process.env.ROSTER_BUILD_SKIP_TYPECHECK === "1" },
    async headers() {
      return [
        {
          source: "/:path*",
          headers: baseSecurityHeaders({ production: env.NODE_ENV === "production" }),
        },
        // Pages get a nonce-based policy from proxy.ts; everything else is never a document.
        {
          source: "/api/:path*",
          headers: [{ key: "Content-Security-Policy", value: NON_DOCUMENT_CSP }],
        },
        {
          source: "/_next/:path*",
          headers: [{ key: "Content-Security-Policy", value: NON_DOCUMENT_CSP }],
        },
        // Files at the root (public/, app/icon.svg) and 404s for such names: the paths proxy.ts
        // leaves alone (a person's page excepted), so without this they had no policy at all.
        {
          source: "/((?!api/|_next/|people/).*\\.[a-zA-Z0-9]+)",
          headers: [{ key: "Content-Security-Policy", value: NON_DOCUMENT_CSP }],
        },
      ];
    },
  };
}
