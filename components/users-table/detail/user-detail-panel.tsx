"use client";

import { useEffect, useId, useRef } from "react";

import { buttonClass } from "@/components/ui/button";
import { XIcon } from "@/components/ui/icons/x";
import { StatusBadge } from "@/components/ui/status-badge";
import type { ProviderId, User } from "@/lib/users/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";

import { UserSummary } from "./user-summary";
import { VendorRecord } from "./vendor-record";

/**
 * A side sheet on a native modal <dialog>: the browser traps focus, makes the
 * page inert and closes it on Escape. The caller puts focus back on the row.
 */
export function UserDetailPanel({
  provider,
  user,
  onClose,
}: {
  provider: ProviderId;
  user: User | null;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (user && !dialog.open) dialog.showModal();
    if (!user && dialog.open) dialog.close();
  }, [user]);

  return (
    <dialog
      ref={ref}
      aria-modal="true"
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === event.currentTarget) event.currentTarget.close();
      }}
      className="fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-none w-full max-w-xl overflow-y-auto border-l border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-950/40 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100"
    >
      {user && (
        <div className="flex min-h-full flex-col">
          <header className="sticky top-0 z-10 flex items-start justify-between gap-4 border-b border-zinc-200 bg-white/95 px-6 py-4 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
            <div className="min-w-0">
              <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                {PROVIDER_LABELS[provider]} user
              </p>
              <h2
                id={titleId}
                className="mt-1 truncate text-lg font-semibold"
                title={user.email ?? user.name ?? user.id}
              >
                {user.email ?? user.name ?? user.id}
              </h2>
              <div className="mt-2">
                <StatusBadge status={user.status} />
              </div>
            </div>
            <button
              type="button"
              className={buttonClass.ghost}
              aria-label="Close"
              onClick={() => ref.current?.close()}
            >
              <XIcon className="size-5" />
            </button>
          </header>
          <div className="space-y-8 px-6 py-6">
            <section aria-labelledby={`${titleId}-summary`}>
              <h3 id={`${titleId}-summary`} className="mb-2 text-sm font-semibold">
                Summary
              </h3>
              <UserSummary provider={provider} user={user} />
            </section>
            <section aria-labelledby={`${titleId}-vendor`}>
              <h3 id={`${titleId}-vendor`} className="mb-1 text-sm font-semibold">
                {PROVIDER_LABELS[provider]} record
              </h3>
              <p className="mb-2 text-xs text-zinc-500 dark:text-zinc-400">
                Every field the vendor returned, as sent.
              </p>
              <VendorRecord record={user.vendor} />
            </section>
          </div>
        </div>
      )}
    </dialog>
  );
}
