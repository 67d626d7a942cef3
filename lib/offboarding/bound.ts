/**
 * The fastest a check can finish when every vendor call takes `callMs`: the
 * vendors run side by side, OpenAI in `ceil(addresses / batchSize)` calls and
 * Telnyx in one call per address, each with `concurrency` calls in flight.
 * The bench measures a check against this figure (target: within 1.3x).
 * No server imports, so the bench can use it.
 */
export function offboardingBoundMs({
  addresses,
  batchSize,
  concurrency,
  callMs,
}: {
  addresses: number;
  batchSize: number;
  concurrency: number;
  callMs: number;
}): number {
  const openaiCalls = Math.ceil(addresses / batchSize);
  const telnyxCalls = addresses;
  const rounds = Math.max(
    Math.ceil(openaiCalls / concurrency),
    Math.ceil(telnyxCalls / concurrency),
  );
  return rounds * callMs;
}
