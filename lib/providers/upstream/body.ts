import "server-only";

import type { z } from "zod";

import { describeFailure, invalidResponse, isTimeoutError, timedOut, unavailable } from "./errors";
import type { VendorInfo } from "./settings";

/**
 * Reads and validates a vendor body. Only the failing paths and zod codes go
 * to the log, never the body's values.
 */
export async function readVendorBody<S extends z.ZodType>(
  response: Response,
  schema: S,
  vendor: VendorInfo,
): Promise<z.output<S>> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (isTimeoutError(error))
      throw timedOut(
        vendor,
        describeFailure(vendor, "timeout reading body", response.headers),
        error,
      );
    if (error instanceof Error && error.name === "AbortError") throw error;
    throw unavailable(
      vendor,
      undefined,
      describeFailure(vendor, "body read failed", response.headers),
      error,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidResponse(
      vendor,
      describeFailure(vendor, `${response.status} body is not JSON`, response.headers),
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.code}`)
      .join("; ");
    throw invalidResponse(
      vendor,
      `${describeFailure(vendor, response.status, response.headers)} invalid body (${issues})`,
    );
  }
  return parsed.data;
}
