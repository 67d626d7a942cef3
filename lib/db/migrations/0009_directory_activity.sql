ALTER TABLE "directory_staging" ADD COLUMN "activity_hash" text;--> statement-breakpoint
ALTER TABLE "directory_staging" ADD COLUMN "activity_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "directory_users" ADD COLUMN "activity_hash" text;--> statement-breakpoint
ALTER TABLE "directory_users" ADD COLUMN "activity_snapshot" bigint;--> statement-breakpoint
ALTER TABLE "directory_snapshots" ADD COLUMN "activity_updated" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "directory_users" ADD CONSTRAINT "directory_users_activity_snapshot_directory_snapshots_id_fk" FOREIGN KEY ("activity_snapshot") REFERENCES "public"."directory_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_users_activity" ON "directory_users" USING btree ("provider","activity_snapshot") WHERE "directory_users"."activity_snapshot" is not null;