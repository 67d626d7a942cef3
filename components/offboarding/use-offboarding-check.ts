"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { mergeRetry, retryRequest } from "@/lib/offboarding/results";
import type { CheckRequest, CheckResponse } from "@/lib/offboarding/schema";

import { CheckError, streamCheck } from "./check-request";

export interface Progress {
  kind: "check" | "retry";
  checked: number;
  total: number | null;
}

/**
 * One check at a time: start, cancel, and a retry of the failed lookups that
 * merges into the answer on screen.
 */
export function useOffboardingCheck() {
  const [response, setResponse] = useState<CheckResponse | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<CheckError | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => () => controller.current?.abort(), []);

  const run = useCallback(
    async (request: CheckRequest, kind: Progress["kind"], base: CheckResponse | null) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setError(null);
      setCancelled(false);
      setProgress({ kind, checked: 0, total: null });
      try {
        const answer = await streamCheck(request, current.signal, (checked, total) =>
          setProgress({ kind, checked, total }),
        );
        setResponse(base ? mergeRetry(base, answer) : answer);
      } catch (caught) {
        if (current.signal.aborted) {
          setCancelled(true);
        } else {
          setError(
            caught instanceof CheckError
              ? caught
              : new CheckError("network", "Roster could not be reached. Try again."),
          );
        }
      } finally {
        if (controller.current === current) {
          controller.current = null;
          setProgress(null);
        }
      }
    },
    [],
  );

  const check = useCallback(
    (emails: string[]) => {
      setResponse(null);
      void run({ emails }, "check", null);
    },
    [run],
  );

  const retry = useCallback(() => {
    const request = response ? retryRequest(response) : null;
    if (request && response) void run(request, "retry", response);
  }, [response, run]);

  const cancel = useCallback(() => controller.current?.abort(), []);

  return { response, progress, error, cancelled, check, retry, cancel };
}
