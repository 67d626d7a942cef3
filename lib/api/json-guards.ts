/**
 * Small checks for JSON the browser receives from Roster's API. The routes
 * build their answers with the zod schemas in lib/<feature>/schema.ts; the
 * browser only needs to tell such an answer from something else (an older
 * server, a proxy's page) before it reads the fields it shows, and these few
 * lines do that without sending a validator to every page.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isNullableString(value: unknown): value is string | null {
  return value === null || typeof value === "string";
}

export function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

/**
 * The `{ error: { code, message } }` every API failure carries (lib/users/schema.ts:
 * `apiErrorBodySchema`), or null when the body is something else.
 */
export function readApiError(body: unknown): { code: string; message: string } | null {
  const error = isRecord(body) ? body.error : null;
  return isRecord(error) && typeof error.code === "string" && typeof error.message === "string"
    ? { code: error.code, message: error.message }
    : null;
}
