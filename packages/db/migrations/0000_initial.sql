-- AuditorIA owns call_logs, tasks, campaigns and global_api_keys: where they already exist they are left as they are.
CREATE TABLE "anura_calls" (
	"cdrid" varchar(36) PRIMARY KEY NOT NULL,
	"state" jsonb NOT NULL,
	"campaign_id" integer,
	"operator_id" integer,
	"unmapped_reason" text,
	"recording_key" varchar(255),
	"recording_file_name" varchar(255),
	"recording_bytes" bigint,
	"recording_sha256" varchar(64),
	"recording_duration" double precision,
	"recording_stored_at" timestamp with time zone,
	"task_uuid" varchar(36),
	"stale_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "anura_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider" varchar(32) DEFAULT 'anura' NOT NULL,
	"cdrid" varchar(36) NOT NULL,
	"trigger" varchar(64) NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "call_logs" (
	"file_name" varchar(255) PRIMARY KEY NOT NULL,
	"date" timestamp,
	"campaign_id" integer NOT NULL,
	"call_id" varchar(36),
	"ani_tel" varchar(30),
	"operator_id" integer NOT NULL,
	"direction" varchar(50),
	"call_start_date" timestamp,
	"call_end_date" timestamp,
	"sectot" integer,
	"created_at" timestamp DEFAULT now(),
	"updated_at" timestamp DEFAULT now(),
	"url" varchar(500),
	"log" varchar(5000),
	"upload_by" varchar(255)
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "campaigns" (
	"campaign_id" serial PRIMARY KEY NOT NULL,
	"campaign_name" varchar(255) NOT NULL,
	"description" text,
	"supervisor_emails" varchar,
	"approval_score" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp DEFAULT now(),
	"updated_at" timestamp DEFAULT now(),
	CONSTRAINT "campaigns_campaign_name_unique" UNIQUE("campaign_name")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "global_api_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar NOT NULL,
	"hashed_key" varchar NOT NULL,
	"prefix" varchar NOT NULL,
	"is_active" boolean DEFAULT true,
	"created_at" timestamp DEFAULT now(),
	"last_used_at" timestamp,
	CONSTRAINT "global_api_keys_hashed_key_unique" UNIQUE("hashed_key")
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"uuid" varchar(36),
	"status" varchar(50),
	"result" json,
	"file_name" varchar(255),
	"url" varchar(255),
	"audio_duration" double precision,
	"language" varchar(50),
	"task_type" varchar(50),
	"task_params" json,
	"duration" double precision,
	"error" text,
	"created_at" timestamp DEFAULT now(),
	"updated_at" timestamp DEFAULT now(),
	CONSTRAINT "tasks_uuid_unique" UNIQUE("uuid")
);
--> statement-breakpoint
CREATE INDEX "anura_calls_unmapped_idx" ON "anura_calls" USING btree ("unmapped_reason");--> statement-breakpoint
CREATE INDEX "anura_events_cdrid_idx" ON "anura_events" USING btree ("cdrid");--> statement-breakpoint
CREATE INDEX "anura_events_received_idx" ON "anura_events" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "call_logs_call_id_key" ON "call_logs" USING btree ("call_id");