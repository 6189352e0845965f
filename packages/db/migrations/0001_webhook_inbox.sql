CREATE TABLE "webhook_inbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"job" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
