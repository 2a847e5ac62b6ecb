CREATE TABLE "survey_versions" (
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"based_on" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"document" jsonb NOT NULL,
	"hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"approved_by" text,
	"approved_at" timestamp (3) with time zone,
	"approval" jsonb,
	"signature" text,
	CONSTRAINT "survey_versions_kind_key_pk" PRIMARY KEY("kind","key")
);
--> statement-breakpoint
-- An approved version never changes and is never removed: the application only updates drafts, and the
-- database refuses anything else (docs/designer.md §2).
CREATE OR REPLACE FUNCTION survey_versions_refuse_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'approved' THEN
    RAISE EXCEPTION 'survey version %:% is approved and cannot change (% refused)', OLD.kind, OLD.key, TG_OP;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER survey_versions_frozen
  BEFORE UPDATE OR DELETE ON survey_versions
  FOR EACH ROW EXECUTE FUNCTION survey_versions_refuse_change();
