"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import {
  MAX_DECISIONS_PER_REQUEST,
  type Decision,
  type DecisionsResult,
  type ReviewItem,
  type ReviewItemsPage,
  type ReviewSummary,
} from "@/lib/reviews/schema";

import { apiJson } from "./api";

/** A review and all its items, loaded page by page, with the actions on them. */
export function useReview(initial: ReviewSummary) {
  const [review, setReview] = useState(initial);
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  // Accounts read so far while they load (a large review takes many pages).
  const [loaded, setLoaded] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // Why the accounts could not be loaded (the page offers to try again), and each try's number.
  const [loadError, setLoadError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  // Set by the first decision or close, after which a summary read at load would be older.
  const changedHere = useRef(false);

  useEffect(() => {
    let cancelled = false;
    // `initial` may be the router cache's copy (Back): the counts and state are read again.
    apiJson<ReviewSummary>(`/api/reviews/${initial.id}`)
      .then((fresh) => {
        if (!cancelled && !changedHere.current) setReview(fresh);
      })
      .catch(() => {});
    (async () => {
      const all: ReviewItem[] = [];
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ limit: "500", ...(cursor ? { cursor } : {}) });
        const page: ReviewItemsPage = await apiJson(`/api/reviews/${initial.id}/items?${query}`);
        all.push(...page.data);
        if (!cancelled) setLoaded(all.length);
        cursor = page.nextCursor;
      } while (cursor && !cancelled);
      if (!cancelled) setItems(all);
    })().catch((cause: unknown) => {
      if (!cancelled) setLoadError(cause instanceof Error ? cause.message : String(cause));
    });
    return () => {
      cancelled = true;
    };
  }, [initial.id, attempt]);

  /** Loads the accounts again after `loadError`. */
  const reload = useCallback(() => {
    setLoadError(null);
    setLoaded(0);
    setAttempt((n) => n + 1);
  }, []);

  const decide = useCallback(
    async (ids: readonly number[], decision: Decision, comment?: string) => {
      setError(null);
      changedHere.current = true;
      try {
        // One request takes at most MAX_DECISIONS_PER_REQUEST: a larger selection goes in parts,
        // each shown as it lands (a part that fails leaves the ones before it decided).
        for (let start = 0; start < ids.length; start += MAX_DECISIONS_PER_REQUEST) {
          const part = ids.slice(start, start + MAX_DECISIONS_PER_REQUEST);
          const result = await apiJson<DecisionsResult>(`/api/reviews/${initial.id}/decisions`, {
            method: "POST",
            body: part.map((itemId) => ({ itemId, decision, ...(comment ? { comment } : {}) })),
          });
          const byId = new Map(result.decided.map((item) => [item.id, item]));
          setItems((current) => current?.map((item) => byId.get(item.id) ?? item) ?? null);
          setReview((current) => ({ ...current, counts: result.counts }));
        }
        return true;
      } catch (cause) {
        setError(cause instanceof Error ? cause.message : String(cause));
        return false;
      }
    },
    [initial.id],
  );

  /** Closes the review; true when it closed. */
  const close = useCallback(async () => {
    setError(null);
    changedHere.current = true;
    try {
      setReview(
        await apiJson<ReviewSummary>(`/api/reviews/${initial.id}/close`, { method: "POST" }),
      );
      return true;
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
      return false;
    }
  }, [initial.id]);

  return { review, items, loaded, error, loadError, reload, decide, close };
}
