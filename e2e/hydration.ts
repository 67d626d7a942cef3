import { expect, type Locator } from "@playwright/test";

/**
 * Waits until React has taken over `element` (its props are on the DOM node). Pages come
 * server-rendered: their controls are on screen before React attaches its handlers, and
 * `page.goto` or a reload waits only for the load event, so a click, a key or typed text sent
 * before then can be lost. Text that the server renders too proves nothing; call this after
 * opening a page, on the control (or one beside it, in the same component) about to be used.
 */
export async function waitForHydration(element: Locator): Promise<void> {
  await expect
    .poll(() =>
      element.evaluate((el) => Object.keys(el).some((key) => key.startsWith("__reactProps"))),
    )
    .toBe(true);
}
