ALTER TABLE "pending_responses" ALTER COLUMN "unit_code" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_responses" ALTER COLUMN "questionnaire" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_responses" ALTER COLUMN "mode" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_responses" ALTER COLUMN "envelope" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ALTER COLUMN "unit_code" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ALTER COLUMN "questionnaire" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ALTER COLUMN "mode" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "pending_responses" ADD COLUMN "sealed" "bytea";