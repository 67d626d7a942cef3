import type { LaunchOptions } from "@playwright/test";

/**
 * How Roster's browser runs start Chromium (e2e and bench): Debian's binary by
 * default, since Playwright cannot download browsers here; CHROMIUM_PATH
 * overrides it, and CHROMIUM_PATH=playwright uses Playwright's own browsers.
 * The flags keep Chromium off the network this machine does not have.
 */
export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return {
    executablePath: executablePath === "playwright" ? undefined : executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  };
}
