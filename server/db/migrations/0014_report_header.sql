ALTER TABLE "campaigns" ADD COLUMN "report_issuer" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "report_title" text;