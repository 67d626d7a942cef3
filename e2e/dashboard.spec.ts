import { expectedGroupNames, expectedIds } from "./dashboard-expected";
import { SANDBOX_SIZES } from "./env";
import { expect, test } from "./fixtures";

const fmt = (n: number) => n.toLocaleString("en-US");

test.describe("the users dashboard", () => {
  test("Telnyx: scrolling to the end shows every sandbox user exactly once, in order", async ({
    dashboard,
  }) => {
    // The e2e sandbox holds over 10,000 Telnyx users: loading and then reading every row back takes a while.
    test.setTimeout(240_000);
    await dashboard.goto("?provider=telnyx");
    await expect(dashboard.tab("telnyx")).toHaveAttribute("aria-selected", "true");
    await dashboard.waitForList();
    const total = SANDBOX_SIZES.telnyxUsers;
    // Telnyx reports its total, so the count and aria-rowcount know it from the first page.
    await expect(dashboard.count).toHaveText(
      new RegExp(`^Showing [\\d,]+ of ${fmt(total)} users$`),
    );
    await expect(dashboard.grid).toHaveAttribute("aria-rowcount", String(total + 1));

    await dashboard.scrollToEnd();
    const { ids, problems } = await dashboard.collectRowIds();
    expect(problems).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expectedIds("telnyx"));
    await expect(dashboard.count).toHaveText(`Showing ${fmt(total)} of ${fmt(total)} users`);
  });

  test("OpenAI: scrolling to the end shows every sandbox user exactly once, in order", async ({
    dashboard,
  }) => {
    await dashboard.goto("?provider=openai");
    await dashboard.waitForList();
    // OpenAI reports no total: the count says how many are loaded.
    await expect(dashboard.count).toHaveText(/^[\d,]+ users loaded$/);
    await expect(dashboard.grid).toHaveAttribute("aria-rowcount", "-1");

    await dashboard.scrollToEnd();
    const { ids, problems } = await dashboard.collectRowIds();
    expect(problems).toEqual([]);
    expect(ids).toEqual(expectedIds("openai"));
    const total = SANDBOX_SIZES.openaiUsers;
    await expect(dashboard.count).toHaveText(`${fmt(total)} users loaded`);
    // Once the end is reached the row count is known.
    await expect(dashboard.grid).toHaveAttribute("aria-rowcount", String(total + 1));
  });

  const cases = [
    { provider: "telnyx", filters: { status: "blocked" } },
    { provider: "telnyx", filters: { email: "son" } },
    { provider: "telnyx", filters: { status: "disabled", email: "mar" } },
    { provider: "openai", filters: { status: "disabled" } },
    { provider: "openai", filters: { email: "SON" } },
    { provider: "openai", filters: { status: "disabled", email: "son" } },
  ] as const;

  for (const { provider, filters } of cases) {
    test(`${provider} filtered by ${JSON.stringify(filters)} shows exactly the sandbox's matches`, async ({
      page,
      dashboard,
    }) => {
      await dashboard.goto(`?provider=${provider}`);
      await dashboard.waitForList();
      const status = "status" in filters ? filters.status : undefined;
      const email = "email" in filters ? filters.email : undefined;
      if (email) await dashboard.filterByEmail(email);
      if (status) {
        await dashboard.selectStatus(status === "blocked" ? "Blocked" : "Disabled");
        await expect(page).toHaveURL(new RegExp(`status=${status}`));
      }
      const expected = expectedIds(provider, { status, email });
      expect(expected.length).toBeGreaterThan(0);

      await dashboard.scrollToEnd();
      const { ids, problems } = await dashboard.collectRowIds();
      expect(problems).toEqual([]);
      expect(ids).toEqual(expected);

      // OpenAI can't filter by status or part of an email, so Roster says it does.
      const hints = page.getByText("filtered by Roster");
      await expect(hints).toHaveCount(
        provider === "openai" ? [status, email].filter(Boolean).length : 0,
      );
    });
  }

  test("the groups switch shows each user's groups as chips", async ({ page, dashboard }) => {
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    await expect(dashboard.groupsSwitch).toHaveAttribute("aria-checked", "false");
    await expect(dashboard.columnHeaders().filter({ hasText: "Groups" })).toHaveCount(0);

    await dashboard.groupsSwitch.click();
    await expect(page).toHaveURL(/groups=true/);
    await expect(dashboard.groupsSwitch).toHaveAttribute("aria-checked", "true");
    await expect(dashboard.columnHeaders().filter({ hasText: "Groups" })).toBeVisible();
    const first = dashboard.rows.first();
    await expect(first).toBeVisible();
    const id = await first.getAttribute("data-row-id");
    const names = expectedGroupNames("telnyx", id ?? "");
    expect(names.length).toBeGreaterThan(0);
    const chips = first.locator("[role=gridcell]").last();
    for (const name of names.slice(0, 3)) await expect(chips).toContainText(name);
    await expect(chips.locator("[title]").first()).toHaveAttribute("title", names.join(", "));
  });

  test("OpenAI projects show as chips with the groups switch on", async ({ dashboard }) => {
    await dashboard.goto("?provider=openai&groups=1");
    await dashboard.waitForList();
    await expect(dashboard.columnHeaders().filter({ hasText: "Projects" })).toBeVisible();
    const first = dashboard.rows.first();
    const id = (await first.getAttribute("data-row-id")) ?? "";
    const names = expectedGroupNames("openai", id);
    const cell = first.locator("[role=gridcell]").last();
    if (names.length === 0) await expect(cell).toContainText(/No projects|none/);
    for (const name of names.slice(0, 3)) await expect(cell).toContainText(name);
  });

  test("no match shows the empty state, and Clear filters brings the list back", async ({
    page,
    dashboard,
  }) => {
    await dashboard.goto("?provider=telnyx&status=blocked");
    await dashboard.waitForList();
    expect(expectedIds("telnyx", { email: "zz-no-such-user" })).toEqual([]);
    await dashboard.filterByEmail("zz-no-such-user");
    await expect(dashboard.emptyState).toBeVisible();
    // A screen reader hears what the filter found, as it does on People.
    await expect(dashboard.count).toHaveRole("status");
    await expect(dashboard.count).toHaveText("Showing 0 of 0 users");
    await dashboard.clearFilters.click();
    // The button went with the empty state: the focus is on the emptied email box, not the page.
    await expect(dashboard.emailFilter).toBeFocused();
    await expect(page).not.toHaveURL(/email=|status=/);
    await expect(dashboard.emailFilter).toHaveValue("");
    await expect(dashboard.statusSelect).toHaveValue("");
    await expect(dashboard.rows.first()).toBeVisible();
    await expect(dashboard.count).toHaveText(
      new RegExp(`of ${fmt(SANDBOX_SIZES.telnyxUsers)} users$`),
    );
  });

  test("Escape clears the email filter at once", async ({ page, dashboard }) => {
    await dashboard.goto("?provider=telnyx&email=son");
    // Hydrated (the rows come from the browser): Escape on the server's HTML did nothing.
    await dashboard.waitForList();
    await expect(dashboard.emailFilter).toHaveValue("son");
    await dashboard.emailFilter.focus();
    await page.keyboard.press("Escape");
    await expect(dashboard.emailFilter).toHaveValue("");
    await expect(page).not.toHaveURL(/email=/);
  });

  test("keyboard: toolbar then table, arrows move between rows, Enter opens the detail panel, Escape returns", async ({
    page,
    dashboard,
  }) => {
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    await dashboard.exportButton.focus();
    await page.keyboard.press("Tab");
    const focusedRow = page.locator("[role=row][data-row-id]:focus");
    await expect(focusedRow).toHaveAttribute("aria-rowindex", "2");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    await expect(focusedRow).toHaveAttribute("aria-rowindex", "4");
    const id = (await focusedRow.getAttribute("data-row-id")) ?? "";
    const expectedId = expectedIds("telnyx")[2];
    expect(id).toBe(expectedId);

    await page.keyboard.press("Enter");
    const dialog = dashboard.detailPanel;
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute("aria-modal", "true");
    // Every field of the vendor record is listed (keys appear humanized, raw key in the title).
    for (const key of [
      "id",
      "record_type",
      "email",
      "user_status",
      "organization_user_bypasses_sso",
      "created_at",
      "last_sign_in_at",
    ]) {
      await expect(dialog.locator(`dt[title="${key}"]`)).toHaveCount(1);
    }
    await expect(dialog).toContainText(id);

    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(focusedRow).toHaveAttribute("data-row-id", id);
  });

  test("the Live/Directory switch is one tab stop whose arrow keys pick the source", async ({
    page,
    dashboard,
  }) => {
    await dashboard.goto("?provider=openai");
    // The rows come from the browser, so the page is hydrated: a key pressed on the server's
    // HTML before React took it over did nothing (a CI run failed that way).
    await dashboard.waitForList();
    const live = page.getByRole("radio", { name: "Live" });
    const directory = page.getByRole("radio", { name: "Directory" });
    await live.focus();
    await page.keyboard.press("ArrowRight");
    await expect(directory).toHaveAttribute("aria-checked", "true");
    await expect(directory).toBeFocused();
    await expect(page).toHaveURL(/source=directory/);
    // Tab leaves the group instead of stopping on the other choice.
    await page.keyboard.press("Shift+Tab");
    await expect(live).not.toBeFocused();
    await directory.focus();
    await page.keyboard.press("ArrowLeft");
    await expect(live).toHaveAttribute("aria-checked", "true");
    await expect(live).toBeFocused();
  });

  test("the detail panel shows nested vendor objects (OpenAI user and projects)", async ({
    dashboard,
  }) => {
    await dashboard.goto("?provider=openai&groups=1");
    await dashboard.waitForList();
    await dashboard.rows.first().click();
    const dialog = dashboard.detailPanel;
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('dt[title="user"]')).toHaveCount(1);
    // The nested `user` object's own fields are listed inside it.
    await expect(dialog.locator('dt[title="user"] + dd dt[title="enabled"]')).toHaveCount(1);
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
  });

  test("the column chooser's choice is remembered per provider", async ({ page, dashboard }) => {
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    const roleHeader = dashboard.columnHeaders().filter({ hasText: /^Role$/ });
    await expect(roleHeader).toBeVisible();
    const role = await dashboard.columnCheckbox("Role");
    await role.uncheck();
    await expect(roleHeader).toHaveCount(0);
    await page.keyboard.press("Escape");

    await page.reload();
    await dashboard.waitForList();
    await expect(roleHeader).toHaveCount(0);
    await expect(dashboard.columnHeaders().filter({ hasText: "SSO bypass" })).toBeVisible();

    await dashboard.tab("openai").click();
    await dashboard.waitForList();
    await expect(dashboard.columnHeaders().filter({ hasText: /^Role$/ })).toBeVisible();
  });

  test("switching back to a provider shows its cached rows without refetching", async ({
    page,
    dashboard,
  }) => {
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    const firstId = await dashboard.rows.first().getAttribute("data-row-id");

    await dashboard.tab("openai").click();
    await expect(page).toHaveURL(/provider=openai/);
    await expect(dashboard.columnHeaders().filter({ hasText: "Account" })).toBeVisible();
    await dashboard.waitForList();

    const requests: string[] = [];
    page.on("request", (req) => {
      if (req.url().includes("/api/telnyx/users")) requests.push(req.url());
    });
    await dashboard.tab("telnyx").click();
    await expect(dashboard.rows.first()).toHaveAttribute("data-row-id", firstId ?? "", {
      timeout: 1_000,
    });
    await expect(dashboard.skeleton).toHaveCount(0);
    expect(requests).toEqual([]);
  });

  test("on a phone the table narrows to email and status", async ({ page, dashboard }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await dashboard.goto("?provider=telnyx");
    await dashboard.waitForList();
    await expect(dashboard.columnHeaders().filter({ hasText: "Email" })).toBeVisible();
    await expect(dashboard.columnHeaders().filter({ hasText: "Status" })).toBeVisible();
    for (const hidden of ["Role", "SSO bypass", "Created", "Last sign-in"]) {
      await expect(dashboard.columnHeaders().filter({ hasText: hidden })).toBeHidden();
    }
    // Nothing overflows sideways.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(dashboard.emailFilter).toBeVisible();
    await expect(dashboard.tab("openai")).toBeVisible();

    // The Columns menu still lists the dropped columns as checked (the choice is kept for
    // wider screens), so it says why they are not shown here.
    const phoneNote = page.getByText("A phone shows email and status");
    await expect(await dashboard.columnCheckbox("Role")).toBeChecked();
    await expect(phoneNote).toBeVisible();
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 844 });
    await dashboard.columnCheckbox("Role");
    await expect(phoneNote).toBeHidden();
  });
});
