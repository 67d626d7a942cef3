// @ts-check
import { parseEnv } from "./lib/env.mjs";

/**
 * Validating here makes a bad env stop `next build` and `next start` with a
 * message that names the variable, instead of failing on the first request.
 * @returns {import("next").NextConfig}
 */
export default function nextConfig() {
  parseEnv();
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    // Separate build folders let several builds (tests, benchmarks) coexist.
    distDir: process.env.ROSTER_DIST_DIR || ".next",
    serverExternalPackages: ["telnyx", "openai"],
  };
}
