import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";

import {
  THEME_COOKIE,
  parseThemePreference,
  themeClassName,
} from "@/components/theme/theme-preference";

import "./globals.css";

export const metadata: Metadata = {
  title: "Roster",
  description: "Who has access to your vendor accounts",
};

/**
 * The theme class comes from a cookie read here, so the first paint already
 * has the admin's choice without an inline script for the CSP to allow. With
 * no cookie, globals.css follows the system preference on its own.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = parseThemePreference((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={themeClassName(theme)} suppressHydrationWarning>
      <body className="min-h-screen bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        {children}
      </body>
    </html>
  );
}
