/**
 * `/_sandbox/*`: health (open), state, faults, reset and mutate (admin token). Never faulted.
 */
import type { IncomingMessage } from "node:http";

import type { FaultEngine } from "./faults";
import { bearerToken, json, readBody, type Reply } from "./http";
import type { MutationOutcome } from "./mutate";

export interface ControlContext {
  adminToken: string;
  engine: FaultEngine;
  users: { telnyx: number; openai: number };
  /** Applies a mutation (unvalidated JSON) to the users and the endpoints' indexes. */
  mutate: (mutation: unknown) => MutationOutcome;
  /** Clears faults and counters and undoes every mutation. */
  reset: () => void;
}

function controlError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Reply {
  return json(status, { error: { code, message } }, headers);
}

const ROUTES: Record<string, string> = {
  "/_sandbox/health": "GET",
  "/_sandbox/state": "GET",
  "/_sandbox/faults": "POST",
  "/_sandbox/reset": "POST",
  "/_sandbox/mutate": "POST",
};

export async function handleControl(
  req: IncomingMessage,
  pathname: string,
  ctx: ControlContext,
): Promise<Reply> {
  const method = Object.hasOwn(ROUTES, pathname) ? ROUTES[pathname] : undefined;
  if (!method) return controlError(404, "not_found", `No control endpoint at ${pathname}.`);
  if (req.method !== method) {
    return controlError(405, "method_not_allowed", `Use ${method} for ${pathname}.`, {
      allow: method,
    });
  }
  if (pathname === "/_sandbox/health") return json(200, { ok: true, users: ctx.users });

  const { token } = bearerToken(req);
  if (token !== ctx.adminToken) {
    return controlError(
      401,
      "unauthorized",
      "Send the sandbox admin token as `Authorization: Bearer <token>`.",
    );
  }

  switch (pathname) {
    case "/_sandbox/state":
      return json(200, { faults: ctx.engine.faults, counters: ctx.engine.counters() });
    case "/_sandbox/reset":
      ctx.reset();
      return json(200, { faults: ctx.engine.faults, counters: ctx.engine.counters() });
    default: {
      const text = await readBody(req);
      if (text === null) return controlError(413, "too_large", "The body must be at most 64 KiB.");
      const mutating = pathname === "/_sandbox/mutate";
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return controlError(
          400,
          "invalid_json",
          `The body must be a JSON object (${mutating ? "a Mutation" : "a partial FaultConfig"}).`,
        );
      }
      if (mutating) {
        const outcome = ctx.mutate(body);
        return outcome.ok
          ? json(200, outcome.result)
          : controlError(400, "invalid_mutation", outcome.message);
      }
      const result = ctx.engine.set(body);
      if (!result.ok) return controlError(400, "invalid_faults", result.message);
      return json(200, { faults: result.faults });
    }
  }
}
