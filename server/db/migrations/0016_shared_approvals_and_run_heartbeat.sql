CREATE TABLE "unseal_approvals" (
	"campaign_id" text NOT NULL,
	"staff_id" text NOT NULL,
	"sealed_share" "bytea" NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unseal_approvals_campaign_id_staff_id_pk" PRIMARY KEY("campaign_id","staff_id")
);
--> statement-breakpoint
ALTER TABLE "scoring_runs" ADD COLUMN "heartbeat_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "unseal_approvals" ADD CONSTRAINT "unseal_approvals_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unseal_approvals" ADD CONSTRAINT "unseal_approvals_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE restrict ON UPDATE no action;