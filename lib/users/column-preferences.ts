"use client";

import { useCallback, useSyncExternalStore } from "react";

import type { ProviderId } from "./schema";

/** Column id -> visible; only explicit `false` hides (as in TanStack Table). */
export type ColumnVisibility = Record<string, boolean>;

const EMPTY: ColumnVisibility = {};
const storageKey = (provider: ProviderId) => `roster:columns:${provider}`;
const listeners = new Set<() => void>();
const cache = new Map<string, { raw: string | null; value: ColumnVisibility }>();
/** Choices that could not be stored (storage full or blocked) last for this page. */
const unsaved = new Map<string, ColumnVisibility>();

function read(provider: ProviderId): ColumnVisibility {
  const key = storageKey(provider);
  const pending = unsaved.get(key);
  if (pending) return pending;
  let raw: string | null = null;
  try {
    raw = window.localStorage.getItem(key);
  } catch {
    return EMPTY;
  }
  const cached = cache.get(key);
  if (cached && cached.raw === raw) return cached.value;
  let value = EMPTY;
  try {
    const parsed: unknown = raw === null ? null : JSON.parse(raw);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      value = Object.fromEntries(
        Object.entries(parsed).filter(
          (entry): entry is [string, boolean] => typeof entry[1] === "boolean",
        ),
      );
    }
  } catch {
    // A corrupt entry falls back to every column shown.
  }
  cache.set(key, { raw, value });
  return value;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  // Another tab changing the choice updates this one too.
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

/** The column chooser's choice for one provider, remembered in localStorage. */
export function useColumnVisibility(provider: ProviderId) {
  const visibility = useSyncExternalStore(
    subscribe,
    () => read(provider),
    () => EMPTY,
  );

  const setVisibility = useCallback(
    (updater: ColumnVisibility | ((old: ColumnVisibility) => ColumnVisibility)) => {
      const next = typeof updater === "function" ? updater(read(provider)) : updater;
      const key = storageKey(provider);
      try {
        window.localStorage.setItem(key, JSON.stringify(next));
        unsaved.delete(key);
      } catch {
        unsaved.set(key, next);
      }
      for (const listener of listeners) listener();
    },
    [provider],
  );

  return [visibility, setVisibility] as const;
}
