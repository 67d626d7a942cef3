import Link from "next/link";

import { formatCount } from "@/lib/users/format-count";
import { isOverdue } from "@/lib/reviews/due";
import type { ReviewSummary } from "@/lib/reviews/schema";
import { PROVIDER_LABELS } from "@/lib/users/contract";

/** Every review with its progress; rendered on the server. `today` (UTC) marks the overdue ones. */
export function ReviewsTable({ reviews, today }: { reviews: ReviewSummary[]; today: string }) {
  if (reviews.length === 0) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">No reviews yet.</p>;
  }
  return (
    // On a phone the table scrolls on its own; the page stays the screen's width.
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Access reviews</caption>
        <thead className="border-b border-zinc-200 text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th className="py-2 pr-4 font-medium">Review</th>
            <th className="py-2 pr-4 font-medium">Vendors</th>
            <th className="py-2 pr-4 font-medium">Due</th>
            <th className="py-2 pr-4 font-medium">Progress</th>
            <th className="py-2 font-medium">State</th>
          </tr>
        </thead>
        <tbody>
          {reviews.map((review) => (
            <tr key={review.id} className="border-b border-zinc-100 dark:border-zinc-900">
              <td className="py-2 pr-4">
                <Link
                  href={`/reviews/${review.id}`}
                  className="font-medium text-indigo-700 hover:underline dark:text-indigo-400"
                >
                  {review.name}
                </Link>
              </td>
              <td className="py-2 pr-4">
                {review.scope.providers.map((p) => PROVIDER_LABELS[p]).join(", ")}
              </td>
              <td className="py-2 pr-4">{review.dueDate}</td>
              <td className="py-2 pr-4">
                {formatCount(review.counts.decided)} of {formatCount(review.counts.total)} decided
              </td>
              <td className="py-2">
                {review.state === "closed" ? (
                  "Closed"
                ) : isOverdue(review, today) ? (
                  <span className="font-medium text-red-700 dark:text-red-400">Open · overdue</span>
                ) : (
                  "Open"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
