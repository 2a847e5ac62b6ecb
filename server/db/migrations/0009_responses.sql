-- Campaigns created before versions were pinned used the only versions there were (2026.1).
CREATE TYPE "public"."response_mode" AS ENUM('online', 'phone', 'paper', 'in_person');--> statement-breakpoint
CREATE TABLE "pending_responses" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"questionnaire" text NOT NULL,
	"mode" "response_mode" NOT NULL,
	"envelope" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responses" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"questionnaire" text NOT NULL,
	"mode" "response_mode" NOT NULL,
	"envelope" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "submission_receipts" (
	"nonce_hash" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"sealed_receipt" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "methodology_version" text NOT NULL DEFAULT '2026.1';--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "methodology_version" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "department_questionnaire" text NOT NULL DEFAULT 'department-2026.1';--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "department_questionnaire" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "district_questionnaire" text NOT NULL DEFAULT 'district-2026.1';--> statement-breakpoint
ALTER TABLE "campaigns" ALTER COLUMN "district_questionnaire" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "pending_responses" ADD CONSTRAINT "pending_responses_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "submission_receipts" ADD CONSTRAINT "submission_receipts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pending_responses_campaign_idx" ON "pending_responses" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "responses_campaign_unit_idx" ON "responses" USING btree ("campaign_id","unit_code");