import "server-only";

import { errorResponse } from "@/lib/api/errors";

/**
 * The People API's own errors (codes the users API does not have), in the
 * same `{ error: { code, message } }` body; `extra` adds fields such as a
 * roster's row errors. Anything else goes through the shared `errorResponse`.
 */
export class PeopleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "PeopleApiError";
  }

  toResponse(): Response {
    return Response.json(
      { error: { code: this.code, message: this.message, ...this.extra } },
      { status: this.status, headers: { "Cache-Control": "no-store" } },
    );
  }
}

export function peopleErrorResponse(error: unknown, context: string, request: Request): Response {
  if (error instanceof PeopleApiError) return error.toResponse();
  return errorResponse(error, context, request);
}

export function invalidQuery(message: string): PeopleApiError {
  return new PeopleApiError(400, "invalid_query", message);
}
