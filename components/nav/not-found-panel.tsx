import { buttonClass } from "@/components/ui/button";

import { Brand } from "./brand";

/** A page that is not there: what happened, in words, and the way back. */
export function NotFoundPanel({
  title,
  message,
  back,
}: {
  title: string;
  message: string;
  back: { href: string; label: string };
}) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-md space-y-4 rounded-lg border border-zinc-200 p-8 shadow-sm dark:border-zinc-800">
        <Brand />
        <h1 className="text-xl font-semibold">{title}</h1>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{message}</p>
        {/* A plain link: next/link here would load its ~3 kB on every page, since the root
            not-found boundary is part of every page's first load. */}
        <a href={back.href} className={buttonClass.secondary}>
          {back.label}
        </a>
      </div>
    </main>
  );
}
