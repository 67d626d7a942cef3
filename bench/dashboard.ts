/**
 * Pages in headless Chromium, signed in with a minted session cookie: the
 * dashboard's time to the first row, time to N rows loaded by scrolling, row
 * elements in the DOM, and the JavaScript a page loads.
 */
import { gzipSync } from "node:zlib";

import { chromium, devices, type Browser, type BrowserContext, type Page } from "@playwright/test";

import { chromiumLaunchOptions } from "../e2e/browser";

import { withTimeout } from "./processes";
import { HTTP_SESSION_COOKIE } from "../testing/session-token";

export interface DashboardRun {
  firstRowMs: number;
  rowsLoadedMs: number;
  loaded: number;
  rowElements: number;
}

export interface JsFile {
  path: string;
  url: string;
  bytes: number;
  /** Size after zlib's gzip at its default level. */
  gzip: number;
}

export interface FirstLoadJs {
  /** Scripts fetched before the first row was visible (all of them for a page without rows). */
  files: JsFile[];
  bytes: number;
  gzip: number;
  /** Scripts fetched after it, without interaction, until the network went idle. */
  lazyFiles: JsFile[];
  lazyGzip: number;
}

// The in-page scripts are JavaScript text, not functions: tsx compiles named functions with a
// `__name` helper that does not exist in the page.

/**
 * Notes the moment (ms since navigation start) the first data row is in the
 * DOM with a size, checked on every DOM change and every frame.
 */
const FIRST_ROW_SCRIPT = `(() => {
  const check = () => {
    if (window.__benchFirstRow !== undefined) return true;
    const row = document.querySelector("[role=row][data-row-id]");
    if (row && row.getBoundingClientRect().height > 0) window.__benchFirstRow = performance.now();
    return window.__benchFirstRow !== undefined;
  };
  const observer = new MutationObserver(() => {
    if (check()) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
  const onFrame = () => {
    if (!check()) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
})();`;

/**
 * Scrolls the grid to the bottom every frame until its count says `target`
 * rows are loaded; inside the page, so no round trip to the browser adds to
 * the time. Resolves with the time (ms since navigation start) and the row
 * elements in the DOM then, or with an error.
 */
const SCROLL_TO_ROWS_SCRIPT = `async ({ target, timeoutMs }) => {
  const scroller = document.querySelector("[data-testid=users-scroll]");
  const count = document.querySelector("[data-testid=users-count]");
  if (!scroller || !count) return { error: "no [data-testid=users-scroll] or [data-testid=users-count]" };
  const loaded = () => Number((/[\\d,]+/.exec(count.textContent || "") || ["0"])[0].replace(/,/g, ""));
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const deadline = performance.now() + timeoutMs;
  while (loaded() < target) {
    if (performance.now() > deadline) return { error: "only " + loaded() + " rows loaded after " + timeoutMs + " ms" };
    const alert = [...document.querySelectorAll("[role=alert]")].find((a) => /Couldn/.test(a.textContent || ""));
    if (alert) return { error: "the dashboard shows an error: " + alert.textContent };
    scroller.scrollTop = scroller.scrollHeight;
    await frame();
  }
  const at = performance.now();
  await frame();
  await frame();
  return {
    rowsLoadedMs: at,
    loaded: loaded(),
    rowElements: document.querySelectorAll("[role=row][data-row-id]").length,
  };
}`;

async function signedInContext(
  browser: Browser,
  appUrl: string,
  token: string,
): Promise<BrowserContext> {
  const context = await browser.newContext({ ...devices["Desktop Chrome"] });
  await context.addCookies([
    {
      name: HTTP_SESSION_COOKIE,
      value: token,
      domain: new URL(appUrl).hostname,
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
    },
  ]);
  await context.addInitScript({ content: FIRST_ROW_SCRIPT });
  return context;
}

/**
 * Polls for the time FIRST_ROW_SCRIPT noted. (Not waitForFunction: a string
 * predicate needs eval, which the app's Content-Security-Policy forbids.)
 */
async function waitForFirstRow(page: Page, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const at = await page.evaluate("window.__benchFirstRow");
    if (typeof at === "number") return at;
    await page.waitForTimeout(50);
  }
  const count = await page
    .getByTestId("users-count")
    .textContent({ timeout: 1_000 })
    .catch(() => null);
  throw new Error(
    `no table row appeared within ${timeoutMs / 1000} s at ${page.url()} (count text: ${String(count)})`,
  );
}

async function timedRun(
  browser: Browser,
  appUrl: string,
  token: string,
  targetRows: number,
  timeoutMs: number,
): Promise<DashboardRun> {
  const context = await signedInContext(browser, appUrl, token);
  try {
    const page = await context.newPage();
    const url = `${appUrl}/?provider=telnyx`;
    await page.goto(url, { waitUntil: "commit", timeout: 60_000 });
    const firstRowMs = await waitForFirstRow(page, 60_000);
    const outcome = (await page.evaluate(
      `(${SCROLL_TO_ROWS_SCRIPT})(${JSON.stringify({ target: targetRows, timeoutMs })})`,
    )) as { error: string } | Omit<DashboardRun, "firstRowMs">;
    if ("error" in outcome) throw new Error(`dashboard: ${outcome.error}`);
    return { firstRowMs, ...outcome };
  } finally {
    await context.close();
  }
}

/**
 * The scripts from /_next/static that a first navigation to `url` loads
 * without any interaction, until the network is idle. With `firstRow`, the
 * page is the dashboard: scripts are split into those whose response ended
 * before its first row was visible and those after.
 */
export async function pageScripts(
  browser: Browser,
  url: string,
  options: { token: string | null; firstRow: boolean },
): Promise<FirstLoadJs> {
  const context = options.token
    ? await signedInContext(browser, url, options.token)
    : await browser.newContext({ ...devices["Desktop Chrome"] });
  try {
    const page = await context.newPage();
    const pending: Promise<JsFile>[] = [];
    page.on("response", (response) => {
      const responseUrl = response.url();
      const { pathname } = new URL(responseUrl);
      if (!pathname.startsWith("/_next/static/") || !pathname.endsWith(".js")) return;
      pending.push(
        response.body().then((body) => ({
          path: pathname,
          url: responseUrl,
          bytes: body.length,
          gzip: gzipSync(body).length,
        })),
      );
    });
    const res = await page.goto(url, { waitUntil: "load", timeout: 60_000 });
    if (!res || res.status() >= 400)
      throw new Error(`${url} answered ${res?.status() ?? "nothing"}`);
    const firstRowMs = options.firstRow
      ? await waitForFirstRow(page, 60_000)
      : Number.POSITIVE_INFINITY;
    await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => undefined);
    const fetched = [...new Map((await Promise.all(pending)).map((f) => [f.path, f])).values()];
    if (fetched.length === 0) throw new Error(`${url} loaded no JavaScript from /_next/static`);
    // When each script's response ended, ms since navigation start (Resource Timing).
    const ends = new Map(
      (await page.evaluate(
        "performance.getEntriesByType('resource').map((e) => [e.name, e.responseEnd])",
      )) as [string, number][],
    );
    const before = fetched.filter(
      (f) => (ends.get(f.url) ?? Number.POSITIVE_INFINITY) <= firstRowMs,
    );
    const after = fetched.filter((f) => !before.includes(f));
    const sum = (files: JsFile[], key: "bytes" | "gzip") =>
      files.reduce((total, f) => total + f[key], 0);
    return {
      files: before,
      bytes: sum(before, "bytes"),
      gzip: sum(before, "gzip"),
      lazyFiles: after,
      lazyGzip: sum(after, "gzip"),
    };
  } finally {
    await context.close();
  }
}

/** Headless Chromium as the e2e tests launch it, closed after `fn` whatever happens. */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await withTimeout(
    chromium.launch({ ...chromiumLaunchOptions(), headless: true }),
    60_000,
    "Chromium did not start",
  );
  try {
    return await fn(browser);
  } finally {
    await withTimeout(browser.close(), 15_000, "Chromium did not close").catch(() => undefined);
  }
}

/** Navigation → first row visible on one vendor tab, in a fresh signed-in context. */
export async function firstRowRun(
  browser: Browser,
  appUrl: string,
  token: string,
  provider: string,
): Promise<number> {
  const context = await signedInContext(browser, appUrl, token);
  try {
    const page = await context.newPage();
    await page.goto(`${appUrl}/?provider=${provider}`, { waitUntil: "commit", timeout: 60_000 });
    return await waitForFirstRow(page, 60_000);
  } finally {
    await context.close();
  }
}

/** Navigation → first row, → N rows by scrolling, on the Telnyx tab, `runs` times. */
export async function runDashboard(input: {
  browser: Browser;
  appUrl: string;
  token: string;
  runs: number;
  targetRows: number;
  rowsTimeoutMs: number;
  log: (line: string) => void;
}): Promise<DashboardRun[]> {
  const runs: DashboardRun[] = [];
  for (let i = 0; i < input.runs; i++) {
    const run = await withTimeout(
      timedRun(input.browser, input.appUrl, input.token, input.targetRows, input.rowsTimeoutMs),
      input.rowsTimeoutMs + 90_000,
      "dashboard run",
    );
    input.log(
      `  dashboard run ${i + 1}: first row ${run.firstRowMs.toFixed(0)} ms, ${run.loaded} rows at ${run.rowsLoadedMs.toFixed(0)} ms, ${run.rowElements} row elements`,
    );
    runs.push(run);
  }
  return runs;
}
