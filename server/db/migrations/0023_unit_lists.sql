ALTER TYPE "public"."staff_role" ADD VALUE 'unit_contact';--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "unit_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "frame_imports" ADD COLUMN "unit_codes" text[];