ALTER TABLE "reviews" ADD COLUMN "evidence_json_sha256" text;--> statement-breakpoint
-- Reviews closed before the column: the manifest's hash as their `review.closed` entry recorded it
-- at closing (the hash chain covers it), not one recomputed from the stored bytes now. A v1 entry
-- holds only the CSV's hash, and retention may have pruned the entry: those reviews stay null.
UPDATE "reviews" SET "evidence_json_sha256" = (
  SELECT "activity_log"."details" ->> 'jsonSha256'
  FROM "activity_log"
  WHERE "activity_log"."kind" = 'review.closed'
    AND "activity_log"."details" ->> 'reviewId' = "reviews"."id"::text
    AND "activity_log"."details" ->> 'jsonSha256' ~ '^[0-9a-f]{64}$'
  ORDER BY "activity_log"."seq" DESC
  LIMIT 1
)
WHERE "reviews"."state" = 'closed' AND "reviews"."evidence_json" IS NOT NULL;
