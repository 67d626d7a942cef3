import type { Ref } from "react";

import { formatCount } from "@/lib/users/format-count";
import { summarize, type CheckResponse } from "@/lib/offboarding/schema";
import { PROVIDER_IDS, PROVIDER_LABELS } from "@/lib/users/contract";
import { formatUtc } from "@/lib/users/format-date";

/** "7 of 10 still have access: 5 in OpenAI, 3 in Telnyx", and what was not checked. */
export function summaryText(response: CheckResponse): {
  headline: string;
  notChecked: string | null;
} {
  const summary = summarize(response);
  const verb = summary.stillWithAccess === 1 ? "still has" : "still have";
  const parts = [...PROVIDER_IDS]
    .sort((a, b) => summary.byProvider[b] - summary.byProvider[a] || a.localeCompare(b))
    .filter((p) => summary.byProvider[p] > 0)
    .map((p) => `${formatCount(summary.byProvider[p])} in ${PROVIDER_LABELS[p]}`);
  const headline = `${formatCount(summary.stillWithAccess)} of ${formatCount(summary.addresses)} ${verb} access${parts.length > 0 ? `: ${parts.join(", ")}` : ""}`;
  const notChecked =
    summary.notChecked > 0
      ? `${formatCount(summary.notChecked)} ${summary.notChecked === 1 ? "address was" : "addresses were"} not checked at every vendor`
      : null;
  return { headline, notChecked };
}

export function ResultsSummary({
  response,
  headingRef,
}: {
  response: CheckResponse;
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  const { headline, notChecked } = summaryText(response);
  return (
    <div>
      <h2
        ref={headingRef}
        tabIndex={-1}
        className="text-lg font-semibold focus:outline-none"
        data-testid="offboarding-summary"
      >
        {headline}
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Asked live at{" "}
        <time dateTime={response.checkedAt}>{formatUtc(response.checkedAt, "second")}</time>
        {notChecked ? (
          <>
            {" · "}
            <span className="font-medium text-amber-700 dark:text-amber-400">{notChecked}</span>
          </>
        ) : null}
      </p>
    </div>
  );
}
