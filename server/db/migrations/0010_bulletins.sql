CREATE TABLE "bulletins" (
	"campaign_id" text PRIMARY KEY NOT NULL,
	"content" jsonb NOT NULL,
	"hash" text NOT NULL,
	"responses" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bulletins" ADD CONSTRAINT "bulletins_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;