CREATE TABLE "people" (
	"key" text PRIMARY KEY NOT NULL,
	"email" text,
	"base_key" text,
	"flags" text[] NOT NULL,
	"vendors" text[] NOT NULL,
	"accounts" jsonb NOT NULL,
	"roster" jsonb
);
--> statement-breakpoint
CREATE TABLE "people_build" (
	"id" integer PRIMARY KEY NOT NULL,
	"generation" bigint NOT NULL,
	"built_at" timestamp with time zone NOT NULL,
	"telnyx_snapshot" bigint,
	"openai_snapshot" bigint,
	"roster_upload" bigint,
	"dormant_days" integer NOT NULL,
	"company_domains" text NOT NULL,
	"day" date NOT NULL,
	"total" integer NOT NULL,
	"counts" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roster_rows" (
	"upload_id" bigint NOT NULL,
	"email_key" text NOT NULL,
	"line" integer NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"department" text,
	"manager" text,
	"status" text,
	"end_date" date,
	CONSTRAINT "roster_rows_upload_id_email_key_pk" PRIMARY KEY("upload_id","email_key")
);
--> statement-breakpoint
CREATE TABLE "roster_uploads" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"uploaded_by" text NOT NULL,
	"rows" integer NOT NULL,
	"sha256" text NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by" text
);
--> statement-breakpoint
ALTER TABLE "roster_rows" ADD CONSTRAINT "roster_rows_upload_id_roster_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."roster_uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "people_order" ON "people" USING btree ("key" collate "C");--> statement-breakpoint
CREATE INDEX "people_flags" ON "people" USING gin ("flags");--> statement-breakpoint
CREATE INDEX "people_base_key" ON "people" USING btree ("base_key");--> statement-breakpoint
CREATE UNIQUE INDEX "roster_uploads_one_active" ON "roster_uploads" USING btree ("state") WHERE "roster_uploads"."state" = 'active';