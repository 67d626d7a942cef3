import { apiErrorBodySchema } from "@/lib/users/schema";

/**
 * GETs one of Roster's JSON APIs and parses the answer with `schema`; an
 * answer that is not a success becomes an Error with the API's message.
 */
export async function fetchParsed<T>(
  url: string,
  schema: { parse(body: unknown): T },
  signal: AbortSignal,
): Promise<T> {
  const res = await fetch(url, { signal });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = apiErrorBodySchema.safeParse(body);
    throw new Error(error.success ? error.data.error.message : `Error ${res.status}`);
  }
  return schema.parse(body);
}
