import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

import boundaries from "./lint/boundaries.mjs";

/** Production code never loads the vendor emulator or the test support. */
const TEST_ONLY = {
  patterns: [
    {
      group: [
        "@/sandbox",
        "@/sandbox/*",
        "**/sandbox/*",
        "@/testing",
        "@/testing/*",
        "**/testing/*",
      ],
      message: "Production code must not import the sandbox or test support (tests may).",
    },
  ],
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    // Playwright fixtures take a `use` callback, which is not React's `use`.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx,mjs}"],
    plugins: { roster: boundaries },
    rules: { "roster/no-server-only-in-browser": "error" },
  },
  {
    files: [
      "app/**/*.{ts,tsx}",
      "components/**/*.{ts,tsx}",
      "lib/**/*.{ts,tsx,mjs}",
      "proxy.ts",
      "instrumentation.ts",
    ],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: { "no-restricted-imports": ["error", TEST_ONLY] },
  },
  {
    ignores: [
      ".next/**",
      ".next-*/**",
      "node_modules/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
    ],
  },
];

export default config;
