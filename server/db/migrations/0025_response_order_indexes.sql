DROP INDEX "pending_responses_campaign_idx";--> statement-breakpoint
CREATE INDEX "responses_campaign_id_idx" ON "responses" USING btree ("campaign_id","id");--> statement-breakpoint
CREATE INDEX "pending_responses_campaign_idx" ON "pending_responses" USING btree ("campaign_id","id");