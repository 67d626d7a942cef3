import { isRecord, readApiError } from "@/lib/api/json-guards";
import type { ProviderId } from "@/lib/users/schema";
import type { DirectoryStatus } from "@/lib/directory/schema";

/** An answer of the directory API that was not a success, in the API's own words. */
export class DirectoryApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function failure(res: Response): Promise<DirectoryApiError> {
  const error = readApiError(await res.json().catch(() => null));
  return error
    ? new DirectoryApiError(error.code, error.message)
    : new DirectoryApiError("http_error", `Roster's server answered with status ${res.status}.`);
}

export async function fetchDirectoryStatus(signal?: AbortSignal): Promise<DirectoryStatus> {
  const res = await fetch("/api/directory/status", { signal });
  if (!res.ok) throw await failure(res);
  const body: unknown = await res.json();
  if (!isDirectoryStatus(body)) {
    throw new DirectoryApiError(
      "invalid_response",
      "Roster's server sent a status it could not read.",
    );
  }
  return body;
}

/** The status as its readers use it (lib/api/json-guards.ts says why no zod). */
function isDirectoryStatus(body: unknown): body is DirectoryStatus {
  return (
    isRecord(body) &&
    isRecord(body.providers) &&
    Object.values(body.providers).every(
      (p) => isRecord(p) && typeof p.configured === "boolean" && "current" in p && "running" in p,
    )
  );
}

/** The directory's status, shared by every component that shows or depends on it. */
export const directoryStatusQueryOptions = {
  queryKey: ["directory-status"] as const,
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchDirectoryStatus(signal),
  refetchInterval: (query: { state: { data?: DirectoryStatus } }) =>
    Object.values(query.state.data?.providers ?? {}).some((p) => p.running) ? 1_000 : 30_000,
};

async function post(path: string, body: object): Promise<void> {
  const res = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
}

export const startSync = (provider: ProviderId) => post("/api/directory/sync", { provider });
export const cancelSync = (provider: ProviderId) =>
  post("/api/directory/sync/cancel", { provider });
