CREATE TABLE "directory_vacuum" (
	"id" integer PRIMARY KEY NOT NULL,
	"closed_through" bigint NOT NULL,
	"vacuumed_at" timestamp with time zone NOT NULL
);
