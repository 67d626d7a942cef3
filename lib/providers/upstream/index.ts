/**
 * What both adapters share about talking to a vendor, one job per file:
 * settings (who the vendor is, retry settings), fetch (the fetch the SDKs are
 * built with, Retry-After), errors (SDK errors to ApiError), body (validated
 * vendor bodies), pacer (the retry pacing of exports), abort (signals and the
 * list deadline), time (vendor times in Roster's form).
 */
export * from "./abort";
export * from "./body";
export * from "./errors";
export * from "./fetch";
export * from "./pacer";
export * from "./settings";
export * from "./client";
export * from "./time";
