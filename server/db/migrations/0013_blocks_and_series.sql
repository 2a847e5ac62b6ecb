CREATE TABLE "unit_links" (
	"campaign_id" text NOT NULL,
	"code" text NOT NULL,
	"previous_code" text NOT NULL,
	CONSTRAINT "unit_links_campaign_id_code_previous_code_pk" PRIMARY KEY("campaign_id","code","previous_code")
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "previous_campaign_id" text;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "block" text;--> statement-breakpoint
-- Units made before blocks were configuration: their campaigns pin methodology 2026.1, whose blocks are named after the old unit kinds.
UPDATE "units" SET "block" = "kind"::text;--> statement-breakpoint
ALTER TABLE "units" ALTER COLUMN "block" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "unit_links" ADD CONSTRAINT "unit_links_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_previous_campaign_id_campaigns_id_fk" FOREIGN KEY ("previous_campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" DROP COLUMN "department_questionnaire";--> statement-breakpoint
ALTER TABLE "campaigns" DROP COLUMN "district_questionnaire";--> statement-breakpoint
ALTER TABLE "units" DROP COLUMN "kind";--> statement-breakpoint
DROP TYPE "public"."unit_kind";