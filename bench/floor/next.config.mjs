// @ts-check
/**
 * The framework floor: the least a Next.js app can do for the dashboard's list
 * request (bench/README.md). Built and started by the benchmark with the same
 * Next.js as Roster; nothing here is part of Roster.
 * @type {import("next").NextConfig}
 */
const config = {
  poweredByHeader: false,
  distDir: process.env.FLOOR_DIST_DIR || ".next",
};

export default config;
