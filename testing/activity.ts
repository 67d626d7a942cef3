import type { ActivityInput } from "@/lib/activity/log";
import type { ActivityKind } from "@/lib/activity/contract";

/** Activity entries written by code under test in a file without a database (testing/setup.ts). */
export const testActivity: ActivityInput<ActivityKind>[] = [];
