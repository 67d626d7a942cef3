/**
 * Before every unit test file: session revocations in memory, so tests that
 * read sessions need no database (tests of the database store set their own);
 * activity entries go to the test's database when it installed one
 * (`useDbForTests`), and otherwise to `testActivity` below.
 */
import { recordActivity, type ActivityInput } from "@/lib/activity/log";
import { setActivityWriter } from "@/lib/activity/record";
import type { ActivityKind } from "@/lib/activity/contract";
import { MemoryRevocationStore, setRevocationStore } from "@/lib/auth/revocation";
import { isDbOpen } from "@/lib/db/client";

import { testActivity } from "./activity";

setRevocationStore(new MemoryRevocationStore());
setActivityWriter(async <K extends ActivityKind>(input: ActivityInput<K>) => {
  if (isDbOpen()) return recordActivity(undefined, input);
  testActivity.push(input);
  return null;
});
