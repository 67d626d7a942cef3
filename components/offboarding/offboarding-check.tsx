"use client";

import { useEffect, useMemo, useRef, useState } from "react";

import { buttonClass } from "@/components/ui/button";
import { saveFile } from "@/components/ui/save-file";
import { Switch } from "@/components/ui/switch";
import { resultsCsv, resultsFilename, retryRequest } from "@/lib/offboarding/results";
import { hasAccess } from "@/lib/offboarding/schema";
import { PROVIDER_IDS } from "@/lib/users/contract";

import { CheckProgress, focusIsLost } from "./check-progress";
import { EntryForm } from "./entry-form";
import { EntryNotes } from "./entry-notes";
import { ResultsSummary } from "./results-summary";
import { ResultsTable } from "./results-table";
import { useOffboardingCheck } from "./use-offboarding-check";

/**
 * Paste the leavers, see who still has access at each vendor, asked live.
 * `personLinks` links each found address that has a person page to it.
 */
export function OffboardingCheck({ personLinks = false }: { personLinks?: boolean }) {
  const { response, progress, error, cancelled, check, retry, cancel } = useOffboardingCheck();
  const [accessOnly, setAccessOnly] = useState(false);
  const rows = useMemo(
    () =>
      response && accessOnly
        ? response.results.filter((r) => PROVIDER_IDS.some((p) => hasAccess(r[p])))
        : (response?.results ?? []),
    [response, accessOnly],
  );
  const canRetry = response !== null && retryRequest(response) !== null;

  // When a check ends, Cancel (which had the focus) is gone: the focus goes to how it ended.
  const summaryHeading = useRef<HTMLHeadingElement>(null);
  const cancelledNotice = useRef<HTMLParagraphElement>(null);
  const errorNotice = useRef<HTMLDivElement>(null);
  const running = progress !== null;
  const wasRunning = useRef(false);
  useEffect(() => {
    if (running) {
      wasRunning.current = true;
      return;
    }
    if (!wasRunning.current) return;
    wasRunning.current = false;
    if (!focusIsLost()) return;
    (error ? errorNotice : cancelled ? cancelledNotice : summaryHeading).current?.focus();
  }, [running, error, cancelled]);

  return (
    <div className="flex w-full max-w-5xl flex-col gap-6">
      <EntryForm disabled={progress !== null} onSubmit={check} />
      {progress ? <CheckProgress progress={progress} onCancel={cancel} /> : null}
      {cancelled ? (
        <p ref={cancelledNotice} tabIndex={-1} role="status" className="text-sm focus:outline-none">
          Check cancelled.
        </p>
      ) : null}
      {error ? (
        <div
          ref={errorNotice}
          tabIndex={-1}
          role="alert"
          className="text-sm text-red-700 focus:outline-none dark:text-red-400"
        >
          <p>{error.message}</p>
          <p className="text-xs">
            Code: <code data-testid="error-code">{error.code}</code>
          </p>
        </div>
      ) : null}
      {response ? (
        <section aria-label="Result" className="flex flex-col gap-4">
          <ResultsSummary response={response} headingRef={summaryHeading} />
          <div className="flex flex-wrap items-center gap-3">
            <Switch
              checked={accessOnly}
              onCheckedChange={setAccessOnly}
              label="Still has access only"
            />
            {canRetry ? (
              <button
                type="button"
                className={buttonClass.primary}
                onClick={retry}
                disabled={progress !== null}
              >
                Retry not checked
              </button>
            ) : null}
            <button
              type="button"
              className={buttonClass.secondary}
              onClick={() =>
                saveFile(
                  new Blob([resultsCsv(response)], { type: "text/csv;charset=utf-8" }),
                  resultsFilename(),
                )
              }
            >
              Export CSV
            </button>
          </div>
          <EntryNotes invalid={response.invalid} duplicates={response.duplicates} />
          <ResultsTable response={response} rows={rows} personLinks={personLinks} />
        </section>
      ) : null}
    </div>
  );
}
