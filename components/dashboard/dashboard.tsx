"use client";

import type { ReactNode } from "react";

import { ThemeToggle } from "@/components/theme/theme-toggle";
import { useDashboardView } from "@/lib/users/use-dashboard-view";
import type { ConfiguredProviders } from "@/lib/users/view-state";

import { NotConfiguredPanel } from "./not-configured-panel";
import { ProviderPanel } from "./provider-panel";
import { PANEL_ID, ProviderTabs, tabId } from "./provider-tabs";

/**
 * The users dashboard. The view (provider, filters, groups) comes from the
 * URL; the server tells us which providers have a key, never the keys.
 */
export function Dashboard({ configured, userMenu }: { configured: ConfiguredProviders; userMenu: ReactNode }) {
  const { view, setProvider, setFilters, clearFilters } = useDashboardView(configured);
  const { provider, filters } = view;

  return (
    <div className="flex h-dvh flex-col">
      <header className="flex flex-wrap items-center gap-x-6 gap-y-3 border-b border-zinc-200 px-4 py-3 sm:px-6 dark:border-zinc-800">
        <h1 className="flex items-center gap-2 text-lg font-semibold tracking-tight">
          <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white">
            R
          </span>
          Roster
        </h1>
        <div className="order-last w-full sm:order-none sm:w-auto">
          <ProviderTabs selected={provider} onSelect={setProvider} />
        </div>
        <div className="ml-auto flex min-w-0 items-center gap-3">
          <ThemeToggle />
          {userMenu}
        </div>
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
              onFiltersChange={setFilters}
              onClearFilters={clearFilters}
            />
          ) : (
            <NotConfiguredPanel provider={provider} />
          )}
        </div>
      </main>
    </div>
  );
}
