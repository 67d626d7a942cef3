import { afterEach, describe, expect, it, vi } from "vitest";

import { navigateToSearch } from "./search";

function fakeWindow(search: string) {
  const history = { pushState: vi.fn(), replaceState: vi.fn() };
  vi.stubGlobal("window", { location: { pathname: "/reviews/7", search }, history });
  return history;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("navigateToSearch", () => {
  it("pushes a new entry by default and rewrites the current one on replace", () => {
    const history = fakeWindow("");
    navigateToSearch("?show=keep");
    expect(history.pushState).toHaveBeenCalledWith(null, "", "/reviews/7?show=keep");
    navigateToSearch("?show=revoke", "replace");
    expect(history.replaceState).toHaveBeenCalledWith(null, "", "/reviews/7?show=revoke");
  });

  it("adds no step for the search already shown, and clears it with an empty one", () => {
    const history = fakeWindow("?show=keep");
    navigateToSearch("?show=keep");
    expect(history.pushState).not.toHaveBeenCalled();
    navigateToSearch("");
    expect(history.pushState).toHaveBeenCalledWith(null, "", "/reviews/7");
  });
});
