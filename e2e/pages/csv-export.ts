import type { Locator, Page } from "@playwright/test";

/**
 * An "Export CSV" control group (components/export/export-controls.tsx) on any
 * page: its button, progress, Cancel, alert and notice, and the name of every
 * file the page has asked the browser to save since this was made.
 */
export class CsvExportControls {
  readonly group: Locator;
  readonly button: Locator;
  readonly cancel: Locator;
  readonly progress: Locator;
  readonly alert: Locator;
  readonly notice: Locator;
  readonly downloads: string[] = [];

  constructor(readonly page: Page) {
    this.group = page.getByRole("group", { name: "CSV export" });
    this.button = this.group.getByRole("button", { name: "Export CSV" });
    this.cancel = this.group.getByRole("button", { name: "Cancel" });
    this.progress = this.group.getByRole("progressbar", { name: "Export progress" });
    this.alert = this.group.getByRole("alert");
    this.notice = this.group.getByRole("status");
    page.on("download", (download) => this.downloads.push(download.suggestedFilename()));
  }
}
