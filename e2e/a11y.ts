import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

import { APP_URL } from "./env";

export const THEMES = ["light", "dark"] as const;

/** Pins the page's theme through the cookie the theme toggle sets. */
export async function useTheme(page: Page, theme: (typeof THEMES)[number]) {
  const { hostname } = new URL(APP_URL);
  await page
    .context()
    .addCookies([{ name: "roster-theme", value: theme, domain: hostname, path: "/" }]);
}

/**
 * The serious and critical axe violations (WCAG 2.1 A and AA) on the page, or
 * inside `include` (a CSS selector) only: id, impact and up to three nodes, so
 * a failure says what and where.
 */
export async function seriousViolations(page: Page, include?: string) {
  let builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  if (include) builder = builder.include(include);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
}
