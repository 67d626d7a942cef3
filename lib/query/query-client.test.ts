import { describe, expect, it } from "vitest";

import { ApiCallError } from "@/components/reviews/api";

import { makeQueryClient, retryQuery } from "./query-client";

describe("retryQuery", () => {
  it("asks again up to three times for a failure that may pass", () => {
    for (const error of [new ApiCallError("busy", 503), new TypeError("Failed to fetch"), null]) {
      expect(retryQuery(0, error)).toBe(true);
      expect(retryQuery(2, error)).toBe(true);
      expect(retryQuery(3, error)).toBe(false);
    }
  });

  it("never asks again after a 4xx answer: it would say the same", () => {
    for (const status of [400, 404, 409, 429]) {
      expect(retryQuery(0, new ApiCallError("to must be later than from", status))).toBe(false);
    }
  });

  it("is every query's default", () => {
    expect(makeQueryClient().getDefaultOptions().queries?.retry).toBe(retryQuery);
  });
});
