CREATE TYPE "public"."call_outcome" AS ENUM('later', 'noAnswer', 'refused', 'wrongNumber');--> statement-breakpoint
CREATE TABLE "call_notes" (
	"invitation_id" text PRIMARY KEY NOT NULL,
	"outcome" "call_outcome" NOT NULL,
	"day" text NOT NULL,
	"calls" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "call_notes" ADD CONSTRAINT "call_notes_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE cascade ON UPDATE no action;