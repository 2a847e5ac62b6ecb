CREATE TABLE "staff_addresses" (
	"address_hash" text PRIMARY KEY NOT NULL,
	"last_seen" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "answer_signals" (
	"campaign_id" text NOT NULL,
	"signal" text NOT NULL,
	"answers" integer NOT NULL,
	CONSTRAINT "answer_signals_campaign_id_signal_pk" PRIMARY KEY("campaign_id","signal")
);
--> statement-breakpoint
ALTER TABLE "answer_signals" ADD CONSTRAINT "answer_signals_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;