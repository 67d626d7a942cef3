import Link from "next/link";

import { cellState } from "@/lib/offboarding/results";
import type { CheckResponse, CheckResult } from "@/lib/offboarding/schema";
import { PROVIDER_IDS, PROVIDER_LABELS } from "@/lib/users/contract";

import { VendorCell } from "./vendor-cell";

/** One row per address, one column per vendor. */
export function ResultsTable({
  response,
  rows,
  personLinks,
}: {
  response: CheckResponse;
  rows: readonly CheckResult[];
  personLinks: boolean;
}) {
  const people = new Set(response.people ?? []);
  return (
    <div className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Each address at each vendor</caption>
        <thead className="bg-zinc-50 text-xs uppercase text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-3 py-2">
              Email
            </th>
            {PROVIDER_IDS.map((provider) => (
              <th key={provider} scope="col" className="px-3 py-2">
                {PROVIDER_LABELS[provider]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((result) => {
            const found = PROVIDER_IDS.some((p) => result[p] !== null);
            return (
              <tr
                key={result.email}
                data-email={result.email}
                className="border-t border-zinc-200 align-top dark:border-zinc-800"
              >
                <th scope="row" className="px-3 py-2 font-medium break-all">
                  {personLinks && found && people.has(result.email.toLowerCase()) ? (
                    <Link
                      href={`/people/${encodeURIComponent(result.email)}`}
                      className="text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
                    >
                      {result.email}
                    </Link>
                  ) : (
                    result.email
                  )}
                </th>
                {PROVIDER_IDS.map((provider) => {
                  const state = cellState(response, result, provider);
                  return (
                    <td
                      key={provider}
                      className="px-3 py-2"
                      data-provider={provider}
                      data-state={state}
                    >
                      <VendorCell state={state} account={result[provider]} />
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
