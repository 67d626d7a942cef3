-- A sync's staging rows are scratch: a failed or crashed sync's rows are deleted by the next one,
-- and they reach `directory_users` (logged) only when the snapshot publishes. Unlogged, staging
-- 100,000 users on PGlite writes no WAL for them (about 130 MB) and its 400 page commits need no flush.
ALTER TABLE "directory_staging" SET UNLOGGED;
