/** A new history entry (a choice Back should undo) or the current one rewritten (typing). */
export type HistoryMode = "push" | "replace";

/**
 * Shows `search` (`""` or `"?a=b"`) in the address bar on the current path,
 * through the native History API, which Next's router follows
 * (`useSearchParams` sees it; Back and Forward restore it) without a server
 * round trip. The search already shown adds no step to Back.
 */
export function navigateToSearch(search: string, mode: HistoryMode = "push"): void {
  const { pathname, search: current } = window.location;
  if (search === current) return;
  const url = `${pathname}${search}`;
  if (mode === "push") window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}
