ALTER TABLE "anura_calls" ADD COLUMN "source" varchar(16) DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
CREATE INDEX "anura_calls_recovered_idx" ON "anura_calls" USING btree ("created_at") WHERE source = 'cdr';--> statement-breakpoint
CREATE TABLE "anura_cdr_windows" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" varchar(16) NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" varchar(16) DEFAULT 'running' NOT NULL,
	"listed" integer DEFAULT 0 NOT NULL,
	"confirmed" integer DEFAULT 0 NOT NULL,
	"recovered" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);--> statement-breakpoint
CREATE INDEX "anura_cdr_windows_done_idx" ON "anura_cdr_windows" USING btree ("ends_at") WHERE kind = 'poll' and status = 'done';
