ALTER TABLE "reviews" ADD COLUMN "closed_counts" jsonb;--> statement-breakpoint
-- Reviews closed before the column: their items no longer change, so counting them once now gives
-- the counts they closed with (the same definitions as lib/reviews/store.ts `countsOf`).
UPDATE "reviews" SET "closed_counts" = (
  SELECT jsonb_build_object(
    'total', count(*),
    'keep', count(*) FILTER (WHERE "review_items"."decision" = 'keep'),
    'revoke', count(*) FILTER (WHERE "review_items"."decision" = 'revoke'),
    'follow_up', count(*) FILTER (WHERE "review_items"."decision" = 'follow_up'),
    'flagged', count(*) FILTER (WHERE jsonb_array_length("review_items"."flags") > 0),
    'changed', count(*) FILTER (WHERE "review_items"."change" IS NOT NULL)
  )
  FROM "review_items"
  WHERE "review_items"."review_id" = "reviews"."id"
)
WHERE "reviews"."state" = 'closed';
