ALTER TYPE "public"."mail_mode" ADD VALUE 'sms';--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "sms_sent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "last_sms_at" timestamp (3) with time zone;