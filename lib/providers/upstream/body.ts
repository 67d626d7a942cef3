import "server-only";

import type { z } from "zod";

import { describeFailure, invalidResponse, isTimeoutError, timedOut, unavailable } from "./errors";
import type { VendorInfo } from "./settings";

/** A vendor's answer whose body has arrived, not yet parsed. */
export interface VendorBody {
  text: string;
  status: number;
  headers: Headers;
}

/**
 * Reads a vendor body to its end: the request is over once this resolves.
 * A failure while reading is a timeout or an outage (which an export retries).
 */
export async function receiveVendorBody(
  response: Response,
  vendor: VendorInfo,
): Promise<VendorBody> {
  try {
    return { text: await response.text(), status: response.status, headers: response.headers };
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
}

/**
 * Parses and validates a body that has arrived. Only the failing paths and
 * zod codes go to the log, never the body's values.
 */
export function parseVendorBody<S extends z.ZodType>(
  body: VendorBody,
  schema: S,
  vendor: VendorInfo,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    throw invalidResponse(
      vendor,
      describeFailure(vendor, `${body.status} body is not JSON`, body.headers),
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
      `${describeFailure(vendor, body.status, body.headers)} invalid body (${issues})`,
    );
  }
  return parsed.data;
}

/** Reads, parses and validates a vendor body. */
export async function readVendorBody<S extends z.ZodType>(
  response: Response,
  schema: S,
  vendor: VendorInfo,
): Promise<z.output<S>> {
  return parseVendorBody(await receiveVendorBody(response, vendor), schema, vendor);
}
