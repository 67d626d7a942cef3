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
