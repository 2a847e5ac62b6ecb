CREATE TYPE "public"."dealing_source" AS ENUM('procedure', 'unit_list');--> statement-breakpoint
CREATE TYPE "public"."draw_role" AS ENUM('sample', 'reserve');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('running', 'invalid', 'ready', 'imported', 'failed');--> statement-breakpoint
CREATE TYPE "public"."invitation_unit_status" AS ENUM('invited', 'answered', 'replaced');--> statement-breakpoint
CREATE TYPE "public"."size_band" AS ENUM('micro', 'small', 'medium', 'large', 'unknown');--> statement-breakpoint
CREATE TABLE "daily_answer_counts" (
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"day" text NOT NULL,
	"answers" integer NOT NULL,
	CONSTRAINT "daily_answer_counts_campaign_id_unit_code_day_pk" PRIMARY KEY("campaign_id","unit_code","day")
);
--> statement-breakpoint
CREATE TABLE "frame_businesses" (
	"campaign_id" text NOT NULL,
	"tax_code" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"district" text NOT NULL,
	"sector" text NOT NULL,
	"size_band" "size_band" NOT NULL,
	"email" text NOT NULL,
	"phone" text NOT NULL,
	CONSTRAINT "frame_businesses_campaign_id_tax_code_pk" PRIMARY KEY("campaign_id","tax_code")
);
--> statement-breakpoint
CREATE TABLE "frame_dealings" (
	"campaign_id" text NOT NULL,
	"tax_code" text NOT NULL,
	"unit_code" text NOT NULL,
	"dealings" integer NOT NULL,
	"sources" text NOT NULL,
	CONSTRAINT "frame_dealings_campaign_id_unit_code_tax_code_pk" PRIMARY KEY("campaign_id","unit_code","tax_code")
);
--> statement-breakpoint
CREATE TABLE "frame_import_errors" (
	"import_id" text NOT NULL,
	"row" integer NOT NULL,
	"column" text NOT NULL,
	"reason_key" text NOT NULL,
	"reason_params" jsonb
);
--> statement-breakpoint
CREATE TABLE "frame_imports" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"file_name" text NOT NULL,
	"status" "import_status" DEFAULT 'running' NOT NULL,
	"bytes_total" bigint NOT NULL,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_valid" integer DEFAULT 0 NOT NULL,
	"rows_invalid" integer DEFAULT 0 NOT NULL,
	"merge_report" jsonb,
	"failure" text,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "frame_staging" (
	"import_id" text NOT NULL,
	"row" integer NOT NULL,
	"tax_code" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"district" text NOT NULL,
	"sector" text NOT NULL,
	"size_band" "size_band" NOT NULL,
	"email" text NOT NULL,
	"phone" text NOT NULL,
	"unit_code" text NOT NULL,
	"dealings" integer NOT NULL,
	"source" "dealing_source" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invitation_units" (
	"invitation_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"status" "invitation_unit_status" DEFAULT 'invited' NOT NULL,
	CONSTRAINT "invitation_units_invitation_id_unit_code_pk" PRIMARY KEY("invitation_id","unit_code")
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"tax_code" text NOT NULL,
	"code_hash" text NOT NULL,
	"emails_sent" integer DEFAULT 0 NOT NULL,
	"last_emailed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitations_code_hash_unique" UNIQUE("code_hash")
);
--> statement-breakpoint
CREATE TABLE "sample_entries" (
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"size_band" "size_band" NOT NULL,
	"position" integer NOT NULL,
	"tax_code" text NOT NULL,
	"role" "draw_role" NOT NULL,
	"used_at" timestamp (3) with time zone,
	CONSTRAINT "sample_entries_campaign_id_unit_code_size_band_position_pk" PRIMARY KEY("campaign_id","unit_code","size_band","position")
);
--> statement-breakpoint
CREATE TABLE "sampling_plans" (
	"campaign_id" text PRIMARY KEY NOT NULL,
	"import_id" text,
	"frame_hash" text,
	"frame_businesses" integer,
	"frame_dealings" integer,
	"frozen_at" timestamp (3) with time zone,
	"design" jsonb,
	"seed_commitment" text,
	"seed" text,
	"public_random_source" text,
	"public_random_value" text,
	"committed_at" timestamp (3) with time zone,
	"draw_algorithm" text,
	"sample_hash" text,
	"drawn_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "daily_answer_counts" ADD CONSTRAINT "daily_answer_counts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frame_businesses" ADD CONSTRAINT "frame_businesses_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frame_dealings" ADD CONSTRAINT "frame_dealings_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frame_import_errors" ADD CONSTRAINT "frame_import_errors_import_id_frame_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."frame_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frame_imports" ADD CONSTRAINT "frame_imports_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frame_staging" ADD CONSTRAINT "frame_staging_import_id_frame_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."frame_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_units" ADD CONSTRAINT "invitation_units_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_entries" ADD CONSTRAINT "sample_entries_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sampling_plans" ADD CONSTRAINT "sampling_plans_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "frame_import_errors_idx" ON "frame_import_errors" USING btree ("import_id","row");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_business_idx" ON "invitations" USING btree ("campaign_id","tax_code");--> statement-breakpoint
CREATE INDEX "sample_entries_business_idx" ON "sample_entries" USING btree ("campaign_id","tax_code");