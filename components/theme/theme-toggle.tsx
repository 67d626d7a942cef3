"use client";

import { useSyncExternalStore } from "react";

import { MonitorIcon } from "@/components/ui/icons/monitor";
import { MoonIcon } from "@/components/ui/icons/moon";
import { SunIcon } from "@/components/ui/icons/sun";

import { THEME_COOKIE, parseThemePreference, type ThemePreference } from "./theme-preference";

const listeners = new Set<() => void>();

function readCookie(): ThemePreference {
  const match = document.cookie.match(new RegExp(`(?:^|; )${THEME_COOKIE}=([^;]*)`));
  return parseThemePreference(match?.[1]);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function applyPreference(preference: ThemePreference) {
  const root = document.documentElement;
  root.classList.toggle("light", preference === "light");
  root.classList.toggle("dark", preference === "dark");
  document.cookie =
    preference === "system"
      ? `${THEME_COOKIE}=; path=/; max-age=0; SameSite=Lax`
      : `${THEME_COOKIE}=${preference}; path=/; max-age=31536000; SameSite=Lax`;
  for (const listener of listeners) listener();
}

const OPTIONS = [
  { value: "system", label: "System theme", Icon: MonitorIcon },
  { value: "light", label: "Light theme", Icon: SunIcon },
  { value: "dark", label: "Dark theme", Icon: MoonIcon },
] as const;

/** Three pressed-state buttons: follow the system, or pin light or dark (remembered in a cookie). */
export function ThemeToggle() {
  const current = useSyncExternalStore(subscribe, readCookie, () => null);

  return (
    <div
      role="group"
      aria-label="Theme"
      className="inline-flex items-center rounded-lg border border-zinc-200 p-0.5 dark:border-zinc-800"
    >
      {OPTIONS.map(({ value, label, Icon }) => (
        <button
          key={value}
          type="button"
          aria-label={label}
          title={label}
          aria-pressed={current === value}
          onClick={() => applyPreference(value)}
          className="rounded-md p-1.5 text-zinc-500 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-500 aria-pressed:bg-zinc-100 aria-pressed:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100 dark:aria-pressed:bg-zinc-800 dark:aria-pressed:text-zinc-100"
        >
          <Icon className="size-4" />
        </button>
      ))}
    </div>
  );
}
