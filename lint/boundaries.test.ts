import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/** The repository's own lint config, applied to code as if it stood at `filePath`. */
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function problems(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const SERVER_ONLY_IMPORT = `import { writeActivity } from "@/lib/activity/record";\nexport const x = writeActivity;\n`;

describe("the browser/server line", () => {
  it("fails a component that imports a server-only module", async () => {
    expect(await problems(SERVER_ONLY_IMPORT, "components/nav/x.tsx")).toEqual([
      expect.stringMatching(
        /^roster\/no-server-only-in-browser: components\/nav\/x\.tsx is loaded in the browser but imports lib\/activity\/record\.ts/,
      ),
    ]);
  });

  it("fails a client hook and a 'use client' module alike, by relative path too", async () => {
    expect(await problems(SERVER_ONLY_IMPORT, "lib/users/use-x.ts")).toHaveLength(1);
    const relative = `"use client";\nimport { writeActivity } from "../activity/record";\nexport const x = writeActivity;\n`;
    expect(await problems(relative, "lib/users/x.ts")).toHaveLength(1);
  });

  it("lets server modules and type-only imports through", async () => {
    expect(await problems(SERVER_ONLY_IMPORT, "lib/users/x.ts")).toEqual([]);
    const typeOnly = `import type { Db } from "@/lib/db/client";\nexport type X = Db;\n`;
    expect(await problems(typeOnly, "components/nav/x.tsx")).toEqual([]);
    const browserSafe = `import { PROVIDER_IDS } from "@/lib/users/schema";\nexport const x = PROVIDER_IDS;\n`;
    expect(await problems(browserSafe, "components/nav/x.tsx")).toEqual([]);
  });

  it("keeps the sandbox and test support out of production code, not out of tests", async () => {
    const sandbox = `import { startSandbox } from "@/sandbox/server";\nexport const x = startSandbox;\n`;
    expect(await problems(sandbox, "lib/providers/x.ts")).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*must not import the sandbox/),
    ]);
    const support = `import { createTestDb } from "@/testing/db";\nexport const x = createTestDb;\n`;
    expect(await problems(support, "app/api/x/route.ts")).toHaveLength(1);
    expect(await problems(sandbox, "lib/providers/x.test.ts")).toEqual([]);
  });
});
