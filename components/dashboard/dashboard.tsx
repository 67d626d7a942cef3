"use client";

import { lazy, type ReactNode, Suspense } from "react";

import { AppNav } from "@/components/nav/app-nav";
import { Brand } from "@/components/nav/brand";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { useDashboardView } from "@/lib/users/use-dashboard-view";
import type { ConfiguredProviders } from "@/lib/users/view-state";

import { ProviderPanel } from "./provider-panel";
import { PANEL_ID, ProviderTabs, tabId } from "./provider-tabs";

/** Only a vendor without a key shows it, so only then is it loaded. */
const NotConfiguredPanel = lazy(() =>
  import("./not-configured-panel").then((module) => ({ default: module.NotConfiguredPanel })),
);

/**
 * The users dashboard. The view (provider, filters, groups) comes from the
 * URL; the server tells us which providers have a key, never the keys.
 */
export function Dashboard({
  configured,
  userMenu,
}: {
  configured: ConfiguredProviders;
  userMenu: ReactNode;
}) {
  const { view, setProvider, setFilters, clearFilters, setSource } = useDashboardView(configured);
  const { provider, filters, source } = view;

  return (
    <div className="flex h-dvh flex-col">
      {/* Narrow: brand and admin, then the app's pages, then tabs and theme; wide: one line. */}
      <header className="grid grid-cols-[auto_minmax(0,1fr)] items-center gap-x-6 gap-y-3 border-b border-zinc-200 px-4 py-3 [grid-template-areas:'brand_user'_'nav_nav'_'tabs_theme'] sm:px-6 xl:grid-cols-[auto_auto_1fr_auto_auto] xl:[grid-template-areas:'brand_nav_tabs_theme_user'] dark:border-zinc-800">
        <div className="[grid-area:brand]">
          <Brand as="h1" />
        </div>
        <div className="min-w-0 [grid-area:nav]">
          <AppNav current="/" />
        </div>
        <div className="justify-self-start [grid-area:tabs]">
          <ProviderTabs selected={provider} onSelect={setProvider} />
        </div>
        <div className="justify-self-end [grid-area:theme]">
          <ThemeToggle />
        </div>
        <div className="flex min-w-0 justify-end [grid-area:user]">{userMenu}</div>
      </header>
      <main className="flex min-h-0 flex-1 flex-col">
        <div
          id={PANEL_ID}
          role="tabpanel"
          aria-labelledby={tabId(provider)}
          className="flex min-h-0 flex-1 flex-col"
        >
          {configured[provider] ? (
            <ProviderPanel
              provider={provider}
              filters={filters}
              source={source}
              onFiltersChange={setFilters}
              onClearFilters={clearFilters}
              onSourceChange={setSource}
            />
          ) : (
            <Suspense fallback={null}>
              <NotConfiguredPanel provider={provider} />
            </Suspense>
          )}
        </div>
      </main>
    </div>
  );
}
