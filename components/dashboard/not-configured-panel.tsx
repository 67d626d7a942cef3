import { KeyIcon } from "@/components/ui/icons/key";
import { VENDORS } from "@/lib/providers/meta";
import type { ProviderId } from "@/lib/users/schema";

/** Shown instead of the table when the server has no key for this provider. */
export function NotConfiguredPanel({ provider }: { provider: ProviderId }) {
  const setup = VENDORS[provider];
  const code =
    "rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[0.8125rem] text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100";
  return (
    <div className="flex flex-1 items-start justify-center px-6 py-16">
      <section
        aria-labelledby="not-configured-title"
        className="w-full max-w-lg rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="flex items-start gap-3">
          <KeyIcon className="mt-0.5 size-5 shrink-0 text-amber-600 dark:text-amber-400" />
          <div className="space-y-3 text-sm text-zinc-700 dark:text-zinc-300">
            <h2
              id="not-configured-title"
              className="text-base font-semibold text-zinc-900 dark:text-zinc-100"
            >
              {setup.label} is not configured
            </h2>
            <p>Set these variables in the server’s environment, then restart Roster:</p>
            <ul className="space-y-2">
              <li>
                <code className={code}>{setup.keyVar}</code>: {setup.keyHelp}.
              </li>
              <li>
                <code className={code}>{setup.baseUrlVar}</code>: optional, defaults to{" "}
                <code className={code}>{setup.defaultUrl}</code>.
              </li>
            </ul>
            <p className="text-zinc-500 dark:text-zinc-400">
              The key stays on the server; browsers never see it.
            </p>
          </div>
        </div>
      </section>
    </div>
  );
}
