CREATE TABLE "source_activity" (
	"api_key_id" integer NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"events" integer NOT NULL,
	"last_event_at" timestamp with time zone NOT NULL,
	CONSTRAINT "source_activity_api_key_id_hour_pk" PRIMARY KEY("api_key_id","hour")
);
