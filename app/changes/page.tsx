import Link from "next/link";

import { ChangesView } from "@/components/changes/changes-view";
import { requirePageSession } from "@/lib/auth/page-session";

import { Providers } from "../providers";

/** Who changed in the directory between two syncs. */
export default async function ChangesPage() {
  await requirePageSession("/changes");
  return (
    <Providers>
      <div className="flex min-h-dvh flex-col">
        <header className="flex items-center gap-6 border-b border-zinc-200 px-4 py-3 sm:px-6 dark:border-zinc-800">
          <h1 className="text-lg font-semibold tracking-tight">Changes</h1>
          <Link href="/" className="text-sm text-indigo-700 underline dark:text-indigo-300">
            Back to users
          </Link>
        </header>
        <main className="flex-1 px-4 py-4 sm:px-6">
          <ChangesView />
        </main>
      </div>
    </Providers>
  );
}
