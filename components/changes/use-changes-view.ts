"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

import {
  CHANGE_KINDS,
  TRACKED_FIELDS,
  type ChangeKind,
  type TrackedField,
} from "@/lib/directory/schema";
import { navigateToSearch } from "@/lib/navigation/search";
import { PROVIDER_IDS } from "@/lib/users/contract";
import type { ProviderId } from "@/lib/users/schema";

const SINCE_CHOICES = ["last", "day", "week", "date", "snapshot"] as const;
export type Since = (typeof SINCE_CHOICES)[number];

interface ChangesViewState {
  provider: ProviderId;
  since: Since;
  /** `YYYY-MM-DD` as typed (checked where it is used); only with `since: "date"`. */
  date: string;
  /** A snapshot id (digits); only with `since: "snapshot"`, "" until one is picked. */
  snapshot: string;
  /** Only users added, removed or changed; "all" for the three. */
  change: ChangeKind | "all";
  /** With `change: "changed"`: only users whose this field changed; "any" for every field. */
  field: TrackedField | "any";
}

const DEFAULT: ChangesViewState = {
  provider: "telnyx",
  since: "last",
  date: "",
  snapshot: "",
  change: "all",
  field: "any",
};

/** The view from the URL; a value it does not know falls back to the default. */
export function parseChangesView(params: URLSearchParams): ChangesViewState {
  const provider = params.get("provider");
  const since = params.get("since");
  const change = params.get("change");
  const field = params.get("field");
  const view: ChangesViewState = {
    provider: (PROVIDER_IDS as readonly (string | null)[]).includes(provider)
      ? (provider as ProviderId)
      : DEFAULT.provider,
    since: (SINCE_CHOICES as readonly (string | null)[]).includes(since)
      ? (since as Since)
      : DEFAULT.since,
    date: "",
    snapshot: "",
    change: (CHANGE_KINDS as readonly (string | null)[]).includes(change)
      ? (change as ChangeKind)
      : DEFAULT.change,
    field: DEFAULT.field,
  };
  if (view.change === "changed" && (TRACKED_FIELDS as readonly (string | null)[]).includes(field)) {
    view.field = field as TrackedField;
  }
  if (view.since === "date") view.date = (params.get("date") ?? "").slice(0, 32);
  const snapshot = params.get("snapshot") ?? "";
  if (view.since === "snapshot" && /^[1-9][0-9]{0,14}$/.test(snapshot)) view.snapshot = snapshot;
  return view;
}

/** The URL's query for a view: only what differs from the default. */
export function changesViewToSearch(view: ChangesViewState): string {
  const query = new URLSearchParams();
  if (view.provider !== DEFAULT.provider) query.set("provider", view.provider);
  if (view.since !== DEFAULT.since) query.set("since", view.since);
  if (view.since === "date" && view.date) query.set("date", view.date);
  if (view.since === "snapshot" && view.snapshot) query.set("snapshot", view.snapshot);
  if (view.change !== DEFAULT.change) query.set("change", view.change);
  if (view.change === "changed" && view.field !== DEFAULT.field) query.set("field", view.field);
  return query.size > 0 ? `?${query}` : "";
}

/**
 * The Changes view lives in the URL, as the dashboard's does (native
 * `history.replaceState`, which Next's router follows without a server round
 * trip): a link or a reload shows the same range.
 */
export function useChangesView() {
  const params = useSearchParams();
  const search = params.toString();
  const view = useMemo(() => parseChangesView(new URLSearchParams(search)), [search]);
  const setView = useCallback((patch: Partial<ChangesViewState>) => {
    const next = { ...parseChangesView(new URLSearchParams(window.location.search)), ...patch };
    navigateToSearch(changesViewToSearch(next), "replace");
  }, []);
  return { view, setView };
}
