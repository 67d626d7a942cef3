"use client";

import { useRef, type KeyboardEvent } from "react";

import type { ProviderId } from "@/lib/users/schema";
import { PROVIDER_IDS, PROVIDER_LABELS } from "@/lib/users/contract";

export const PANEL_ID = "provider-panel";
export const tabId = (provider: ProviderId) => `provider-tab-${provider}`;

/** The provider tabs (ARIA tabs: arrow keys move and select, one tab stop). */
export function ProviderTabs({
  selected,
  onSelect,
}: {
  selected: ProviderId;
  onSelect: (provider: ProviderId) => void;
}) {
  const listRef = useRef<HTMLDivElement>(null);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = PROVIDER_IDS.indexOf(selected);
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: PROVIDER_IDS.length - 1,
    };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = PROVIDER_IDS[(to + PROVIDER_IDS.length) % PROVIDER_IDS.length] ?? selected;
    onSelect(next);
    listRef.current?.querySelector<HTMLElement>(`#${tabId(next)}`)?.focus();
  }

  return (
    <div
      ref={listRef}
      role="tablist"
      aria-label="Provider"
      onKeyDown={onKeyDown}
      className="flex items-center gap-1 rounded-lg bg-zinc-100 p-1 dark:bg-zinc-900"
    >
      {PROVIDER_IDS.map((provider) => {
        const active = provider === selected;
        return (
          <button
            key={provider}
            id={tabId(provider)}
            type="button"
            role="tab"
            aria-selected={active}
            aria-controls={PANEL_ID}
            tabIndex={active ? 0 : -1}
            onClick={() => onSelect(provider)}
            className={`rounded-md px-3 py-1 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-500 ${
              active
                ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-white"
                : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {PROVIDER_LABELS[provider]}
          </button>
        );
      })}
    </div>
  );
}
