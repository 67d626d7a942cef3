import { describe, expect, it, vi } from "vitest";

import { withSandboxAndDb } from "@/testing/sandbox-db";

// The database failing under a sync after it began: runSync cannot even record the failure.
vi.mock("./sync", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./sync")>()),
  runSync: vi.fn(() => Promise.reject(new Error("Connection terminated unexpectedly"))),
}));

const { settleSyncs, startSyncs } = await import("./jobs");

describe("startSyncs when a sync's end cannot be recorded", () => {
  const env = withSandboxAndDb({ telnyxUsers: 5, openaiUsers: 5 });

  it("logs it and lets the server run on: no unhandled rejection, the job let go", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      const started = await startSyncs(["openai"], "ana@example.com", env.handle.db);
      expect(started).toHaveLength(1);
      await settleSyncs();
      // A rejection nobody handles is reported after the microtasks of this turn.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).not.toHaveBeenCalled();
      expect(logged).toHaveBeenCalledWith(
        "[roster] sync openai: its end could not be recorded (Error)",
      );
      expect(logged.mock.calls.flat().join(" ")).not.toContain("Connection terminated");
    } finally {
      process.off("unhandledRejection", unhandled);
      logged.mockRestore();
    }
  });
});
