CREATE TABLE "campaign_keys" (
	"campaign_id" text PRIMARY KEY NOT NULL,
	"public_key" "bytea" NOT NULL,
	"fingerprint" text NOT NULL,
	"threshold" integer NOT NULL,
	"share_count" integer NOT NULL,
	"share_tag" text NOT NULL,
	"envelope_tag" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "committee_members" (
	"campaign_id" text NOT NULL,
	"staff_id" text NOT NULL,
	CONSTRAINT "committee_members_campaign_id_staff_id_pk" PRIMARY KEY("campaign_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "key_shares" (
	"campaign_id" text NOT NULL,
	"staff_id" text NOT NULL,
	"share_index" integer NOT NULL,
	"sealed_share" "bytea" NOT NULL,
	CONSTRAINT "key_shares_campaign_id_staff_id_pk" PRIMARY KEY("campaign_id","staff_id")
);
--> statement-breakpoint
CREATE TABLE "member_keys" (
	"staff_id" text PRIMARY KEY NOT NULL,
	"encryption_public" "bytea" NOT NULL,
	"signing_public" "bytea" NOT NULL,
	"encryption_private_pem" text NOT NULL,
	"signing_private_pem" text NOT NULL,
	"kdf_salt" text NOT NULL,
	"kdf" text NOT NULL,
	"fingerprint" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_keys" ADD CONSTRAINT "campaign_keys_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_members" ADD CONSTRAINT "committee_members_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_members" ADD CONSTRAINT "committee_members_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_shares" ADD CONSTRAINT "key_shares_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_shares" ADD CONSTRAINT "key_shares_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_keys" ADD CONSTRAINT "member_keys_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE restrict ON UPDATE no action;