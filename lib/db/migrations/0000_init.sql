CREATE TABLE "directory_staging" (
	"snapshot_id" bigint NOT NULL,
	"user_id" text NOT NULL,
	"email" text,
	"email_key" text,
	"name" text,
	"status" text NOT NULL,
	"role" text,
	"created_at" timestamp with time zone,
	"last_active_at" timestamp with time zone,
	"groups" jsonb,
	"vendor" jsonb NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_users" (
	"provider" text NOT NULL,
	"user_id" text NOT NULL,
	"from_snapshot" bigint NOT NULL,
	"to_snapshot" bigint,
	"email" text,
	"email_key" text,
	"name" text,
	"status" text NOT NULL,
	"role" text,
	"created_at" timestamp with time zone,
	"last_active_at" timestamp with time zone,
	"groups" jsonb,
	"vendor" jsonb NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "directory_users_provider_user_id_from_snapshot_pk" PRIMARY KEY("provider","user_id","from_snapshot")
);
--> statement-breakpoint
CREATE TABLE "directory_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"state" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"started_by" text,
	"rows" integer DEFAULT 0 NOT NULL,
	"total" integer,
	"proof" jsonb,
	"error_code" text,
	"error_message" text,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancel_requested" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_failures" (
	"key" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revoked_sessions" (
	"sid" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "directory_staging" ADD CONSTRAINT "directory_staging_snapshot_id_directory_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."directory_snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_users" ADD CONSTRAINT "directory_users_from_snapshot_directory_snapshots_id_fk" FOREIGN KEY ("from_snapshot") REFERENCES "public"."directory_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_users" ADD CONSTRAINT "directory_users_to_snapshot_directory_snapshots_id_fk" FOREIGN KEY ("to_snapshot") REFERENCES "public"."directory_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_staging_snapshot_user" ON "directory_staging" USING btree ("snapshot_id","user_id");--> statement-breakpoint
CREATE INDEX "directory_users_order" ON "directory_users" USING btree ("provider","created_at","user_id" collate "C");--> statement-breakpoint
CREATE INDEX "directory_users_current_email" ON "directory_users" USING btree ("email_key") WHERE "directory_users"."to_snapshot" is null;--> statement-breakpoint
CREATE INDEX "directory_users_to" ON "directory_users" USING btree ("provider","to_snapshot");--> statement-breakpoint
CREATE INDEX "directory_snapshots_provider_state" ON "directory_snapshots" USING btree ("provider","state","id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_snapshots_one_running" ON "directory_snapshots" USING btree ("provider") WHERE "directory_snapshots"."state" = 'running';--> statement-breakpoint
CREATE INDEX "auth_failures_key_at" ON "auth_failures" USING btree ("key","at");--> statement-breakpoint
CREATE INDEX "auth_failures_expires" ON "auth_failures" USING btree ("expires_at");