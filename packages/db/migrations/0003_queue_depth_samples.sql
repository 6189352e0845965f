CREATE TABLE "queue_depth_samples" (
	"queue" varchar(64) NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"waiting" integer NOT NULL,
	"delayed" integer NOT NULL,
	"active" integer NOT NULL,
	CONSTRAINT "queue_depth_samples_queue_minute_pk" PRIMARY KEY("queue","minute")
);
