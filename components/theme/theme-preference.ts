/**
 * The admin's theme choice lives in a cookie, so the server layout can put the
 * right class on <html> before the first paint without an inline script (which
 * the nonce-based CSP would have to allow). No cookie means "follow the
 * system", which globals.css handles with `prefers-color-scheme` alone.
 */
export const THEME_COOKIE = "roster-theme";

export const THEME_PREFERENCES = ["system", "light", "dark"] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

export function parseThemePreference(value: string | undefined | null): ThemePreference {
  return value === "light" || value === "dark" ? value : "system";
}

/** The class for <html>: `light` or `dark` pins the theme; none follows the system. */
export function themeClassName(preference: ThemePreference): string | undefined {
  return preference === "system" ? undefined : preference;
}
