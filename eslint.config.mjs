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
    // What every page loads first: the root layout and its boundaries, the header and theme.
    // next/link there costs about 3 kB gzip of first-load JavaScript on every page (bench).
    files: [
      "app/layout.tsx",
      "app/not-found.tsx",
      "app/error.tsx",
      "app/global-error.tsx",
      "components/nav/**/*.{ts,tsx}",
      "components/theme/**/*.{ts,tsx}",
      "components/auth/user-menu.tsx",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...TEST_ONLY,
          paths: [
            {
              name: "next/link",
              message:
                "Every page loads this file first: use a plain <a> or NavLink (components/nav/nav-link.tsx).",
            },
          ],
        },
      ],
    },
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
