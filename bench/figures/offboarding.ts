/**
 * The offboarding check of N addresses (1,000 in the full run) at the vendor
 * latency, against the fewest round trips the vendors allow.
 */
import { unicodeForms } from "../../lib/offboarding/parse";
import { apiTargets } from "../api";
import type { BenchContext, FigureModule, FigureResult } from "../context";
import { TARGETS } from "../modes";
import { jsonOf, probeRoute } from "../probe";
import { figure } from "../report";

const SECTION = "Offboarding check";
const PATH = "/api/offboarding/check";

/**
 * Addresses per OpenAI `emails[]` call. Keep equal to the check's default
 * batch size (lib/offboarding) when it lands.
 */
export const OPENAI_BATCH = 100;

/**
 * The vendors' bound for `emails`: OpenAI one call per batch, one after the
 * other; Telnyx one `filter[email]` call per address and Unicode form (an
 * address with an accent is asked for composed and decomposed), `concurrency`
 * at a time; both vendors at once, so the slower of the two.
 */
export function offboardingBound(
  emails: readonly string[],
  latencyMs: number,
  concurrency: number,
): { openaiCalls: number; telnyxCalls: number; ms: number } {
  const openaiCalls = Math.ceil(emails.length / OPENAI_BATCH);
  const telnyxCalls = emails.reduce(
    (n, email) => n + unicodeForms(email.normalize("NFC")).length,
    0,
  );
  const ms = Math.max(openaiCalls, Math.ceil(telnyxCalls / concurrency)) * latencyMs;
  return { openaiCalls, telnyxCalls, ms };
}

/** Half known addresses (from each vendor's first page), half unknown ones. */
async function addresses(ctx: BenchContext, count: number): Promise<string[]> {
  const targets = apiTargets({
    appUrl: ctx.app.url,
    appPid: ctx.app.serverPid,
    floorUrl: ctx.floor.url,
    floorPid: ctx.floor.serverPid,
    sandboxUrl: ctx.sandbox.url,
    sandboxPid: ctx.sandbox.proc.pid,
    cookie: ctx.cookie,
  });
  const known = new Set<string>();
  for (const provider of ["telnyx", "openai"] as const) {
    const { url, headers } = targets[provider].direct;
    const page = await jsonOf<{ data: { email?: string | null }[] }>(
      await fetch(url, { headers }),
      `GET ${url}`,
    );
    for (const user of page.data) if (user.email) known.add(user.email.toLowerCase());
  }
  const list = [...known].slice(0, Math.floor(count / 2));
  for (let i = 0; list.length < count; i++) list.push(`leaver-${i}@bench.invalid`);
  return list;
}

export const offboardingFigure: FigureModule = {
  id: "offboarding",
  section: SECTION,
  probe: (ctx) =>
    probeRoute(ctx.app.url, PATH, { method: "POST", cookie: ctx.cookie, body: { emails: [] } }),
  async run(ctx: BenchContext): Promise<FigureResult> {
    const n = ctx.mode.offboardingAddresses;
    const emails = await addresses(ctx, n);
    const bound = offboardingBound(emails, ctx.mode.latencyMs, ctx.concurrency);
    const { ms, body } = await ctx.atVendorLatency(async () => {
      const started = performance.now();
      const res = await fetch(`${ctx.app.url}${PATH}`, {
        method: "POST",
        headers: {
          cookie: ctx.cookie,
          origin: ctx.app.url,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify({ emails }),
        signal: AbortSignal.timeout(300_000),
      });
      const body = await jsonOf<{ results: unknown[]; failed?: unknown[] }>(res, `POST ${PATH}`);
      return { ms: performance.now() - started, body };
    });
    if (body.results.length !== emails.length)
      throw new Error(`${PATH}: ${body.results.length} results for ${emails.length} addresses`);
    if (body.failed && body.failed.length > 0)
      throw new Error(`${PATH}: ${body.failed.length} checks failed`);
    ctx.log(
      `  offboarding ${emails.length} addresses: ${(ms / 1000).toFixed(2)} s, bound ${(bound.ms / 1000).toFixed(2)} s`,
    );
    const section = `${SECTION}: ${emails.length.toLocaleString("en-US")} addresses (half known), sandbox ${ctx.mode.latencyMs} ms per call; bound = max(${bound.openaiCalls} OpenAI calls in sequence, ceil(${bound.telnyxCalls}/${ctx.concurrency}) Telnyx rounds) × ${ctx.mode.latencyMs} ms`;
    return {
      figures: [
        figure("offboarding.wall_s", section, "check wall time", "s", [ms / 1000]),
        figure("offboarding.bound_s", section, "vendors' lower bound", "s", [bound.ms / 1000]),
        figure("offboarding.to_bound", section, "check / lower bound", "×", [ms / bound.ms], {
          target: { op: "<=", value: TARGETS.offboardingToBound, by: "median" },
        }),
      ],
    };
  },
};
