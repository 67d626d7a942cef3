/**
 * `npm run sandbox` / `tsx sandbox/cli.ts [flags]`: runs the sandbox until
 * SIGINT or SIGTERM. Flags: sandbox/cli-options.ts, or `--help`.
 */
import { helpText, parseCli } from "./cli-options";
import { startSandbox } from "./server";

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`sandbox: ${(error as Error).message}\nRun with --help for the list of flags.`);
    process.exit(1);
  }
  if (parsed.help) {
    console.log(helpText());
    return;
  }
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox(parsed.options);
  } catch (error) {
    console.error(`sandbox: could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(
    `Sandbox listening on ${sandbox.url} (Telnyx ${sandbox.url}/v2: ${sandbox.data.telnyx.length} users, OpenAI ${sandbox.url}/v1: ${sandbox.data.openai.length} users)`,
  );
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
