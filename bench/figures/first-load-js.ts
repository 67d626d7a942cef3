/**
 * First-load JavaScript: every /_next/static script a first visit fetches
 * without interaction, gzipped, for the dashboard, a bare Next.js page from
 * the same build tooling (the floor) and each newer page once it exists.
 */
import type { BenchContext, FigureModule, FigureResult, NotBuilt } from "../context";
import { pageScripts, withBrowser, type FirstLoadJs, type JsFile } from "../dashboard";
import { TARGETS } from "../modes";
import { probePage } from "../probe";
import { figure, type Figure } from "../report";

/** The pages each feature adds; a page that answers 404 is "not built". */
export const NEW_PAGES = [
  { id: "people", path: "/people", label: "People" },
  { id: "offboarding", path: "/offboarding", label: "Offboarding" },
  { id: "reviews", path: "/reviews", label: "Reviews" },
  { id: "activity", path: "/activity", label: "Activity" },
] as const;

const SECTION =
  "First-load JavaScript: /_next/static scripts a first visit fetches without interaction, gzip (zlib default level), kB = 1000 bytes";

const kb = (bytes: number) => bytes / 1000;
const files = (js: FirstLoadJs): JsFile[] => [...js.files, ...js.lazyFiles];
const total = (js: FirstLoadJs) => js.gzip + js.lazyGzip;
const list = (js: FirstLoadJs) => files(js).map(({ path, bytes, gzip }) => ({ path, bytes, gzip }));

export const firstLoadJsFigure: FigureModule = {
  id: "firstLoadJs",
  section: "First-load JavaScript",
  async run(ctx: BenchContext): Promise<FigureResult> {
    const figures: Figure[] = [];
    const notBuilt: NotBuilt[] = [];
    const details: Record<string, unknown> = {};
    await withBrowser(async (browser) => {
      const floor = await pageScripts(browser, `${ctx.floor.url}/`, {
        token: null,
        firstRow: false,
      });
      const dashboard = await pageScripts(browser, `${ctx.app.url}/?provider=telnyx`, {
        token: ctx.token,
        firstRow: true,
      });
      ctx.log(
        `  dashboard ${kb(total(dashboard)).toFixed(1)} kB gzip in ${files(dashboard).length} files (${kb(dashboard.lazyGzip).toFixed(1)} kB after the first row); bare page ${kb(total(floor)).toFixed(1)} kB`,
      );
      details.floor = list(floor);
      details.dashboard = {
        beforeFirstRow: dashboard.files.map(({ path, bytes, gzip }) => ({ path, bytes, gzip })),
        afterFirstRow: dashboard.lazyFiles.map(({ path, bytes, gzip }) => ({ path, bytes, gzip })),
      };
      figures.push(
        figure(
          "first_load_js.floor_kb",
          SECTION,
          `bare Next.js page (the floor), ${files(floor).length} files`,
          "kB",
          [kb(total(floor))],
          { decimals: 1 },
        ),
        figure(
          "first_load_js.dashboard_kb",
          SECTION,
          `dashboard, ${files(dashboard).length} files`,
          "kB",
          [kb(total(dashboard))],
          {
            decimals: 1,
            target: { op: "<=", value: TARGETS.dashboardFirstLoadJsGzipKb, by: "median" },
          },
        ),
        figure(
          "first_load_js.dashboard_over_floor_kb",
          SECTION,
          "dashboard − floor",
          "kB",
          [kb(total(dashboard) - total(floor))],
          { decimals: 1 },
        ),
        figure(
          "first_load_js.dashboard_after_first_row_kb",
          SECTION,
          `dashboard, of which fetched after the first row (${dashboard.lazyFiles.length} files)`,
          "kB",
          [kb(dashboard.lazyGzip)],
          { decimals: 1 },
        ),
        figure(
          "first_load_js.dashboard_raw_kb",
          SECTION,
          "dashboard, uncompressed",
          "kB",
          [kb(dashboard.bytes + dashboard.lazyFiles.reduce((n, f) => n + f.bytes, 0))],
          { decimals: 1 },
        ),
      );
      for (const page of NEW_PAGES) {
        const reason = await probePage(ctx.app.url, page.path, ctx.cookie);
        if (reason) {
          notBuilt.push({
            id: `first_load_js.${page.id}`,
            section: SECTION,
            reason: `${page.label}: ${reason}`,
          });
          continue;
        }
        const js = await pageScripts(browser, `${ctx.app.url}${page.path}`, {
          token: ctx.token,
          firstRow: false,
        });
        details[page.id] = list(js);
        figures.push(
          figure(
            `first_load_js.${page.id}_kb`,
            SECTION,
            `${page.label} page, ${files(js).length} files`,
            "kB",
            [kb(total(js))],
            {
              decimals: 1,
              target: { op: "<=", value: TARGETS.pageFirstLoadJsGzipKb, by: "median" },
            },
          ),
        );
      }
    });
    return { figures, notBuilt, details };
  },
};
