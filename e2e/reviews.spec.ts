import { seriousViolations, useTheme } from "./a11y";
import { expect, test as base } from "./fixtures";
import { ActivityPage } from "./pages/activity-page";
import { ReviewPage, ReviewsPage, sha256, syncDirectory } from "./pages/reviews-page";

/** The Reviews page, signed in, after a sync of OpenAI: where every review here starts. */
const test = base.extend<{ reviews: ReviewsPage }>({
  reviews: async ({ page, signedIn }, use) => {
    void signedIn;
    await syncDirectory(page.request, "openai");
    const reviews = new ReviewsPage(page);
    await reviews.goto();
    await use(reviews);
  },
});

test.describe("access reviews", () => {
  test("review OpenAI owners from start to evidence, every step in a verified activity log", async ({
    page,
    signedIn,
  }) => {
    void signedIn;
    test.setTimeout(120_000);
    const snapshotId = await syncDirectory(page.request, "openai");

    const reviews = new ReviewsPage(page);
    await reviews.goto();
    // Due in the past: the review is overdue from its first day.
    await reviews.fill({ name: "E2E OpenAI owners", dueDate: "2025-06-30" });
    // No vendor ticked: said next to the vendors, in words, before the server is asked.
    await reviews.start.click();
    await expect(
      page.getByRole("alert").filter({ hasText: "Pick at least one vendor." }),
    ).toBeVisible();
    await expect(page).toHaveURL(/\/reviews$/);
    await reviews.startReview(
      { vendors: ["OpenAI"], roles: "owner" },
      { beforeSubmit: async () => expect(await seriousViolations(page)).toEqual([]) },
    );

    const review = new ReviewPage(page);
    await expect(review.rows.first()).toBeVisible();
    const { total } = await review.counts();
    expect(total).toBeGreaterThanOrEqual(4);
    await expect(review.rows).toHaveCount(total);
    await expect(review.progress).toHaveText(`0 of ${total} decided`);
    await expect(page.getByText("due 2025-06-30 (overdue)")).toBeVisible();
    // On a phone the items table scrolls in its own box; the page keeps the screen's width.
    const viewport = page.viewportSize()!;
    await page.setViewportSize({ width: 360, height: 780 });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(360);
    await page.setViewportSize(viewport);
    // Role and status read as on the dashboard: "Owner", and the status badge's word.
    await expect(review.rows.first().getByRole("cell").nth(3)).toHaveText("Owner");
    await expect(review.rows.first().getByRole("cell").nth(4)).toHaveText(
      /^(Enabled|Disabled|Blocked)$/,
    );

    // Two in bulk, one on its own.
    await review.select(review.rows.nth(0));
    await review.select(review.rows.nth(1));
    await review.bulkComment.fill("still on the platform team");
    await review.bulk("Keep");
    await expect(review.progress).toHaveText(`2 of ${total} decided`);
    // The pressed button is disabled now that nothing is selected: the focus is on the progress.
    await expect(review.progress).toBeFocused();
    await review.decideRow(review.rows.nth(2), "Revoke");
    await expect(review.progress).toHaveText(`3 of ${total} decided`);
    // Each filter says how many accounts it holds, as the server counts them.
    await expect(review.filterButton("Undecided")).toHaveText(`Undecided ${total - 3}`);
    await expect(review.filterButton("Keep")).toHaveText("Keep 2");
    await expect(review.filterButton("Revoke")).toHaveText("Revoke 1");
    await expect(review.filterButton("Follow up")).toHaveText("Follow up 0");
    await expect(review.filterButton("All")).toHaveText(`All ${total}`);
    await expect(review.rows.nth(2)).toContainText("admin@roster.test");
    expect(await seriousViolations(page)).toEqual([]);

    // The account leads to its person, whose page tells what this review decided, and when.
    const reviewUrl = page.url();
    await review.rows.nth(2).getByRole("link").click();
    await expect(page).toHaveURL(/\/people\/[^/]+$/);
    const reviewName = page.getByRole("link", { name: "E2E OpenAI owners" }).first();
    await expect(reviewName.locator("xpath=..")).toContainText(
      /\(OpenAI\): Revoke by admin@roster\.test at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/,
    );
    await reviewName.click();
    await expect(page).toHaveURL(reviewUrl);
    await expect(review.progress).toHaveText(`3 of ${total} decided`);
    // Away and Back: the router's cached page comes back, and its counts are read again.
    await page.getByRole("link", { name: "Reviews", exact: true }).first().click();
    await expect(page).toHaveURL(/\/reviews$/);
    await expect(
      page.getByRole("row").filter({ hasText: "E2E OpenAI owners" }).first(),
    ).toContainText("Open · overdue");
    await page.goBack();
    await expect(page).toHaveURL(reviewUrl);
    await expect(review.progress).toHaveText(`3 of ${total} decided`);

    await review.closeButton.click();
    await expect(review.alert).toHaveText(
      `${total - 3} of ${total} accounts ${total - 3 === 1 ? "is" : "are"} still undecided; decide every account before closing.`,
    );

    await review.show("Undecided");
    await expect(review.rows).toHaveCount(total - 3);
    // Asking again for the filter shown adds no step to Back.
    await review.show("Undecided");
    // The filter lives in the URL: a reload keeps it, Back leaves it.
    await expect(page).toHaveURL(`${reviewUrl}?show=undecided`);
    await page.reload();
    await expect(review.rows).toHaveCount(total - 3);
    await expect(review.filterButton("Undecided")).toHaveAttribute("aria-pressed", "true");
    await page.goBack();
    await expect(page).toHaveURL(reviewUrl);
    await expect(review.rows).toHaveCount(total);
    await page.goForward();
    await expect(review.rows).toHaveCount(total - 3);
    await review.selectAllShown();
    await review.bulk("Follow up");
    await expect(review.progress).toHaveText(`${total} of ${total} decided`);
    await expect(review.rows).toHaveCount(0);
    await expect(
      page.getByRole("status").filter({ hasText: "No accounts match “Undecided”." }),
    ).toBeVisible();
    await page.getByRole("button", { name: "Show all" }).click();
    // The button went with the message: the focus is on "All", not the page.
    await expect(review.filterButton("All")).toBeFocused();
    await expect(review.rows).toHaveCount(total);
    await expect(page).toHaveURL(reviewUrl);

    await review.closeButton.click();
    await expect(review.progress).toContainText("closed by admin@roster.test");
    await expect(review.closeButton).toHaveCount(0);
    // The button that had the focus is gone: the focus is on the review's new state.
    await expect(review.progress).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
    // The closed review, and from here on the activity log, in the dark theme.
    await useTheme(page, "dark");
    await page.reload();
    await expect(page.locator("html")).toHaveClass("dark");
    await expect(review.progress).toContainText("closed by admin@roster.test");
    expect(await seriousViolations(page)).toEqual([]);

    const csv = await review.download("Evidence CSV");
    const manifestBytes = await review.download("Evidence manifest");
    const manifest = JSON.parse(manifestBytes.toString("utf8"));
    expect(manifest.evidenceCsv.sha256).toBe(sha256(csv));
    // The page shows both files' hashes as stored at closing: those of the bytes downloaded.
    await expect(review.evidenceSha256("Evidence CSV")).toHaveText(sha256(csv));
    await expect(review.evidenceSha256("Evidence manifest")).toHaveText(sha256(manifestBytes));
    // The log's review.closed entry, the one the manifest names, holds both files' hashes.
    const closedEntries = await (
      await page.request.get("/api/activity?kind=review.closed&limit=1")
    ).json();
    expect(closedEntries.data[0]).toMatchObject({
      seq: manifest.activityLog.closedEntry.seq,
      details: { csvSha256: sha256(csv), jsonSha256: sha256(manifestBytes) },
    });
    expect(manifest.counts).toMatchObject({
      accounts: total,
      keep: 2,
      revoke: 1,
      follow_up: total - 3,
    });
    expect(manifest.population[0]).toMatchObject({
      provider: "openai",
      snapshotId,
      accountsInScope: total,
    });
    expect(manifest.population[0].completenessProof).not.toBeNull();
    // A closed review gives the same bytes on every download.
    expect((await review.download("Evidence CSV")).equals(csv)).toBe(true);
    const revokeList = (await review.download("Revoke list")).toString("utf8");
    expect(revokeList.trimEnd().split("\r\n")).toHaveLength(2);

    const activity = new ActivityPage(page);
    await activity.goto();
    for (const kind of ["review.created", "review.decided", "review.closed", "review.downloaded"]) {
      await expect(activity.entry(kind).first()).toBeVisible();
    }
    await activity.verifyButton.click();
    await expect(activity.verifyResult).toContainText("Chain verified");
    expect(await seriousViolations(page)).toEqual([]);

    await activity.kind.selectOption("review.closed");
    await expect(activity.entries).toHaveCount(1);
    await expect(activity.entries.first()).toContainText("admin@roster.test");
    // The filters live in the URL: a reload (or a link) shows the same entries.
    await expect(page).toHaveURL(/\/activity\?kind=review\.closed$/);
    await page.reload();
    await expect(activity.kind).toHaveValue("review.closed");
    await expect(activity.entries).toHaveCount(1);

    // A range that ends before it starts: the reason at once (a 4xx is not asked again), and no
    // "no entries" line under it as if the log were empty.
    await page.getByLabel("To", { exact: true }).fill("2026-12-01");
    await page.getByLabel("From", { exact: true }).fill("2026-12-10");
    await expect(
      page.getByRole("alert").filter({ hasText: "to must be later than from" }),
    ).toBeVisible({
      timeout: 2_000,
    });
    await expect(page.getByText("No entries match these filters.")).toHaveCount(0);
  });

  test("a scope that matches no account is refused in words, and starts nothing", async ({
    page,
    reviews,
  }) => {
    await reviews.fill({
      name: "E2E nobody",
      dueDate: "2030-06-30",
      vendors: ["OpenAI"],
      roles: "no-such-role",
    });
    await reviews.start.click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      /^No account matches this scope \(OpenAI; role "no-such-role"\) in the latest directory sync \(OpenAI snapshot \d+\); widen the scope/,
    );
    await expect(page).toHaveURL(/\/reviews$/);
    const list = (await (await page.request.get("/api/reviews")).json()) as {
      data: { name: string }[];
    };
    expect(list.data.map((review) => review.name)).not.toContain("E2E nobody");
  });

  test("deciding one account in the Undecided view keeps its row and the keyboard focus", async ({
    page,
    reviews,
  }) => {
    await reviews.startReview({
      name: "E2E one at a time",
      dueDate: "2030-06-30",
      vendors: ["OpenAI"],
      roles: "owner",
    });
    const review = new ReviewPage(page);
    await review.show("Undecided");
    await expect(review.rows.first()).toBeVisible();
    const { total } = await review.counts();
    const decision = review.rows.first().getByRole("combobox");
    await decision.focus();
    // Arrow keys on the closed select used to step through the options, each one recorded.
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await expect(decision).toHaveValue("");
    await expect(review.progress).toHaveText(`0 of ${total} decided`);
    await review.decideRow(review.rows.first(), "Keep");
    await expect(review.progress).toHaveText(`1 of ${total} decided`);
    // The row stays, showing what was decided, and the focus stays on its decision (it fell to
    // the page with the row).
    await expect(decision).toHaveValue("keep");
    await expect(decision).toBeFocused();
    // Asking for the view again leaves the decided account out.
    await review.show("Undecided");
    await expect(review.rows).toHaveCount(total - 1);
  });

  test("a second press of a bulk decision or of Close while the first is under way sends nothing", async ({
    page,
    reviews,
  }) => {
    await reviews.startReview({
      name: "E2E pressed twice",
      dueDate: "2030-06-30",
      vendors: ["OpenAI"],
      roles: "owner",
    });
    const review = new ReviewPage(page);
    await expect(review.rows.first()).toBeVisible();
    const { total } = await review.counts();

    /** Holds each request to `path` until `release`; counts them. */
    async function hold(path: RegExp) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const sent = { count: 0 };
      await page.route(path, async (route) => {
        sent.count += 1;
        await gate;
        await route.continue();
      });
      return { sent, release: () => release(), stop: () => page.unroute(path) };
    }

    const decisions = await hold(/\/api\/reviews\/\d+\/decisions$/);
    await review.select(review.rows.nth(0));
    await review.select(review.rows.nth(1));
    await review.bulk("Keep");
    const deciding = page.getByRole("button", { name: "Deciding…" });
    await expect(deciding).toHaveAttribute("aria-disabled", "true");
    // Playwright refuses to press an aria-disabled button; an admin's click lands all the same.
    await deciding.click({ force: true });
    await page.getByRole("button", { name: "Revoke selected" }).click({ force: true });
    await expect.poll(() => decisions.sent.count).toBe(1);
    decisions.release();
    await expect(review.progress).toHaveText(`2 of ${total} decided`);
    await expect(review.filterButton("Keep")).toHaveText("Keep 2");
    await expect(review.filterButton("Revoke")).toHaveText("Revoke 0");
    expect(decisions.sent.count).toBe(1);
    await decisions.stop();

    await review.show("Undecided");
    await review.selectAllShown();
    await review.bulk("Follow up");
    await expect(review.progress).toHaveText(`${total} of ${total} decided`);
    const closing = await hold(/\/api\/reviews\/\d+\/close$/);
    await review.closeButton.click();
    const pressed = page.getByRole("button", { name: "Closing…" });
    await expect(pressed).toHaveAttribute("aria-disabled", "true");
    await pressed.click({ force: true });
    await expect.poll(() => closing.sent.count).toBe(1);
    closing.release();
    await expect(review.progress).toContainText("closed by admin@roster.test");
    await expect(review.alert).toHaveCount(0);
    expect(closing.sent.count).toBe(1);
    await closing.stop();
  });

  test("accounts that fail to load say why and load on Try again", async ({ page, reviews }) => {
    await reviews.startReview(
      { name: "E2E load failure", dueDate: "2030-06-30", vendors: ["OpenAI"], roles: "owner" },
      {
        // The first read of the accounts fails as a server in trouble would answer it.
        beforeSubmit: () =>
          page.route(
            /\/api\/reviews\/\d+\/items/,
            (route) =>
              route.fulfill({
                status: 503,
                json: { error: { code: "database_unavailable", message: "The database is busy." } },
              }),
            { times: 1 },
          ),
      },
    );
    const review = new ReviewPage(page);
    await expect(review.alert).toContainText(
      "The accounts could not be loaded: The database is busy.",
    );
    await expect(page.getByText("Loading accounts…")).toHaveCount(0);
    await page.getByRole("button", { name: "Try again" }).click();
    const { total } = await review.counts();
    await expect(review.rows).toHaveCount(total);
    await expect(review.alert).toHaveCount(0);
  });

  test("a bulk decision on more accounts than one request takes decides them all", async ({
    page,
    reviews,
  }) => {
    test.setTimeout(180_000);
    // A name of spaces is refused by the server: its reason is shown, and the button pressed
    // keeps the focus (it is not disabled while the server is asked).
    await reviews.fill({ name: "   ", dueDate: "2030-06-30", vendors: ["OpenAI"] });
    await reviews.start.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("name must not be empty");
    await expect(reviews.start).toBeFocused();
    // The accounts' second page is held: meanwhile the page says how many it has read.
    const laterPages = /\/api\/reviews\/\d+\/items\?.*cursor=/;
    let releaseItems!: () => void;
    const itemsHeld = new Promise<void>((resolve) => (releaseItems = resolve));
    await reviews.startReview(
      { name: "E2E every OpenAI account" },
      {
        beforeSubmit: () =>
          page.route(laterPages, async (route) => {
            await itemsHeld;
            await route.continue();
          }),
      },
    );

    const review = new ReviewPage(page);
    await expect(review.progress).toHaveText(/^0 of [\d,]+ decided$/);
    const { total } = await review.counts();
    const n = (count: number) => count.toLocaleString("en-US");
    await expect(page.getByRole("status").filter({ hasText: "Loading accounts…" })).toHaveText(
      `Loading accounts… 500 of ${n(total)}`,
    );
    releaseItems();
    await expect(review.rows.first()).toBeVisible();
    await page.unroute(laterPages);
    // More than the 1,000 decisions one POST takes: the page splits them, the admin does not.
    expect(total).toBeGreaterThan(1000);
    // The table renders 200 rows at a time; each "Show more" adds 200 and focuses the first.
    await expect(review.rows).toHaveCount(200);
    await expect(review.rowsShown).toHaveText(`Showing 200 of ${n(total)} accounts`);
    // The 201st account in the review's order, as its API lists them.
    const reviewId = /\/reviews\/(\d+)/.exec(page.url())![1];
    const listed = (await (
      await page.request.get(`/api/reviews/${reviewId}/items?limit=201`)
    ).json()) as { data: { id: number }[] };
    const firstAdded = String(listed.data[200]!.id);
    // Selecting what is shown offers the rest of the filter's accounts.
    await review.selectAllShown();
    await expect(page.getByText("200 selected")).toBeVisible();
    await page.getByRole("button", { name: `Select all ${n(total)} accounts in “All”` }).click();
    await expect(page.getByText(`${n(total)} selected`)).toBeVisible();
    await expect(page.getByRole("button", { name: "Clear selection" })).toBeFocused();
    // The lines about rows shown and selected pass the same accessibility checks as the page
    // (checked over 200 rows: axe took about 26 s over 400).
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Clear selection" }).click();
    await expect(page.getByText("0 selected")).toBeVisible();
    await expect(page.getByRole("checkbox", { name: "Select all shown" })).toBeFocused();
    await page.getByRole("button", { name: "Show 200 more" }).click();
    await expect(review.rows).toHaveCount(400);
    expect(await review.rows.nth(200).getAttribute("data-item-id")).toBe(firstAdded);
    await expect(review.rows.nth(200).getByRole("link")).toBeFocused();
    await expect(review.rowsShown).toHaveText(`Showing 400 of ${n(total)} accounts`);

    await review.selectAllShown();
    await expect(page.getByText("400 selected")).toBeVisible();
    await page.getByRole("button", { name: `Select all ${n(total)} accounts in “All”` }).click();
    await review.bulk("Keep");
    await expect(review.progress).toHaveText(`${n(total)} of ${n(total)} decided`, {
      timeout: 60_000,
    });
    await expect(review.alert).toHaveCount(0);
    await expect(page.getByText("0 selected")).toBeVisible();
    // The accounts never rendered were decided too: every one is in “Keep”.
    await review.show("Keep");
    await expect(review.rowsShown).toHaveText(`Showing 200 of ${n(total)} accounts`);
    // Every decision is stored, not only shown.
    await page.reload();
    await expect(review.progress).toHaveText(`${n(total)} of ${n(total)} decided`);
    await review.show("Undecided");
    await expect(page.getByText("No accounts match “Undecided”.")).toBeVisible();
    // The list of reviews writes its counts as the review's page does.
    await reviews.goto();
    await expect(
      page.getByRole("row").filter({ hasText: "E2E every OpenAI account" }),
    ).toContainText(`${n(total)} of ${n(total)} decided`);
  });
});
