import type { ReviewSummary } from "./schema";

/** Today's date in UTC as `YYYY-MM-DD`, the form of a review's due date. */
export function utcDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * An open review whose due date has passed: the day after it, in UTC (the
 * time zone every date in Roster is shown in). A closed review is never overdue.
 */
export function isOverdue(
  review: Pick<ReviewSummary, "state" | "dueDate">,
  today: string,
): boolean {
  return review.state === "open" && review.dueDate < today;
}
