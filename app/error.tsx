"use client";

import { buttonClass } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons/alert";

/**
 * The page itself failed to render (the users list has its own error panel).
 * "Try again" is Next.js's `retry`: it fetches the page from the server again
 * and renders it (`reset` would only render what failed once more).
 */
export default function DashboardError({ retry }: { error: unknown; retry: () => void }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div role="alert" className="max-w-md space-y-4 text-center">
        <AlertIcon className="mx-auto size-8 text-red-600 dark:text-red-400" />
        <h1 className="text-lg font-semibold">Roster couldn’t show this page</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Something went wrong while drawing it. Trying again often helps.
        </p>
        <button type="button" className={buttonClass.primary} onClick={retry}>
          Try again
        </button>
      </div>
    </main>
  );
}
