import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { closeDb, useDbForTests } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env.mjs";
import { exportSlots } from "@/lib/export/slots";
import { adminCookieHeader } from "@/testing/auth";
import { createTestDb } from "@/testing/db";
import { openaiUser, seedDirectory } from "@/testing/directory";

import { GET as exportActivity } from "../activity/export/route";
import { GET as exportChanges } from "../directory/changes/export/route";
import { GET as exportPeople } from "../people/export/route";

let cookie: string;

function setMaxPerAdmin(value: string | undefined) {
  if (value === undefined) delete process.env.EXPORT_MAX_PER_ADMIN;
  else process.env.EXPORT_MAX_PER_ADMIN = value;
  resetEnvCache();
}

beforeAll(async () => {
  cookie = await adminCookieHeader();
  const handle = await createTestDb();
  useDbForTests(handle);
  await seedDirectory(handle.db, "openai", [openaiUser("a"), openaiUser("b")]);
  await seedDirectory(handle.db, "openai", [openaiUser("a", { role: "owner" }), openaiUser("c")]);
});
afterAll(() => closeDb());
afterEach(() => setMaxPerAdmin(undefined));

describe("the people, changes and activity exports take an export slot", () => {
  it.each([
    ["people", exportPeople, "/api/people/export"],
    ["changes", exportChanges, "/api/directory/changes/export?provider=openai"],
    ["activity", exportActivity, "/api/activity/export"],
  ])(
    "refuses a second running %s export with 429 too_many_exports; the next after it is taken",
    async (_kind, handler, path) => {
      setMaxPerAdmin("1");
      const call = () => handler(new Request(`http://roster.test${path}`, { headers: { cookie } }));
      const first = await call();
      expect(first.status).toBe(200);
      expect(exportSlots.inUse()).toBe(1);

      const second = await call();
      expect(second.status).toBe(429);
      expect(await second.json()).toMatchObject({
        error: {
          code: "too_many_exports",
          message: expect.stringMatching(/^You already have 1 export running/),
        },
      });

      // The first download ends: its slot is free for the next one.
      expect((await first.text()).length).toBeGreaterThan(0);
      expect(exportSlots.inUse()).toBe(0);
      const next = await call();
      expect(next.status).toBe(200);
      await next.body?.cancel();
      expect(exportSlots.inUse()).toBe(0);
    },
  );
});
