CREATE TABLE "activity_chain" (
	"id" integer PRIMARY KEY NOT NULL,
	"head_seq" bigint NOT NULL,
	"head_hash" text NOT NULL,
	"anchor_seq" bigint NOT NULL,
	"anchor_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"admin" text,
	"details" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_id" bigint NOT NULL,
	"item_id" bigint NOT NULL,
	"decision" text NOT NULL,
	"comment" text,
	"decided_by" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_id" bigint NOT NULL,
	"provider" text NOT NULL,
	"user_id" text NOT NULL,
	"snapshot_id" bigint NOT NULL,
	"email" text,
	"name" text,
	"status" text NOT NULL,
	"role" text,
	"created_at" timestamp with time zone,
	"last_active_at" timestamp with time zone,
	"groups" jsonb,
	"vendor" jsonb NOT NULL,
	"flags" jsonb NOT NULL,
	"hash" text NOT NULL,
	"change" text,
	"decision" text,
	"comment" text,
	"decided_by" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"due_date" text NOT NULL,
	"scope" jsonb NOT NULL,
	"scope_key" text NOT NULL,
	"state" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"closed_by" text,
	"closed_at" timestamp with time zone,
	"snapshots" jsonb NOT NULL,
	"previous_review_id" bigint,
	"item_count" integer NOT NULL,
	"evidence_csv" "bytea",
	"evidence_csv_sha256" text,
	"evidence_json" "bytea"
);
--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_item_id_review_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."review_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_items" ADD CONSTRAINT "review_items_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_log_at" ON "activity_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "activity_log_kind" ON "activity_log" USING btree ("kind","seq");--> statement-breakpoint
CREATE INDEX "review_decisions_item" ON "review_decisions" USING btree ("item_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_items_account" ON "review_items" USING btree ("review_id","provider","user_id");--> statement-breakpoint
CREATE INDEX "review_items_decision" ON "review_items" USING btree ("review_id","decision","id");--> statement-breakpoint
CREATE INDEX "reviews_scope_key" ON "reviews" USING btree ("scope_key","state","id");