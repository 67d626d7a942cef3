/**
 * A proxy in front of a sandbox for Telnyx reads whose pages shift: it calls
 * `onPage2` once, when the first request for a page after the first arrives,
 * before passing that request on, and notes the users looked up one by one
 * (`GET /v2/organizations/users/{id}`). Roster's env points at it until
 * `close()`, which points it back at the sandbox.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import type { Sandbox } from "@/sandbox/server";

import { pointEnvAt } from "./providers";

export interface ShiftingProxy {
  /** Ids looked up one by one, in the order asked. */
  lookups: string[];
  close(): Promise<void>;
}

export async function shiftingProxy(sandbox: Sandbox, onPage2: () => void): Promise<ShiftingProxy> {
  let shifted = false;
  const lookups: string[] = [];
  const proxy = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const lookup = /^\/v2\/organizations\/users\/([^/]+)$/.exec(url.pathname);
    if (lookup) lookups.push(decodeURIComponent(lookup[1]!));
    if (!shifted && Number(url.searchParams.get("page[number]") ?? 1) > 1) {
      shifted = true;
      onPage2();
    }
    void (async () => {
      const upstream = await fetch(`${sandbox.url}${req.url}`, {
        headers: { authorization: req.headers.authorization ?? "" },
      });
      res.writeHead(upstream.status, { "content-type": "application/json" });
      res.end(await upstream.text());
    })().catch((error: unknown) => {
      // The sandbox closed or refused: the reader under test sees a vendor outage, not a crash.
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ detail: String(error) }] }));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  pointEnvAt({ url: `http://127.0.0.1:${port}` });
  return {
    lookups,
    close: async () => {
      pointEnvAt(sandbox);
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
