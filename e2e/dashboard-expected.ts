/**
 * What the dashboard should list: the one oracle (testing/expected.ts) over
 * the sandbox data the e2e run starts with.
 */
import type { ProviderId } from "../lib/users/schema";
import { generateData, type SandboxData } from "../sandbox/data";
import * as oracle from "../testing/expected";

import { SANDBOX_SIZES } from "./env";

let cached: SandboxData | undefined;

export function sandboxData(): SandboxData {
  cached ??= generateData(SANDBOX_SIZES);
  return cached;
}

/** Ids the list should show for these filters, in vendor order. */
export function expectedIds(provider: ProviderId, filters: oracle.ExpectedFilters = {}): string[] {
  return oracle.expectedIds(sandboxData(), provider, filters);
}

/** Group (Telnyx) or project (OpenAI) names of one user, as the sandbox holds them. */
export function expectedGroupNames(provider: ProviderId, id: string): string[] {
  return oracle.expectedGroupNames(sandboxData(), provider, id);
}
