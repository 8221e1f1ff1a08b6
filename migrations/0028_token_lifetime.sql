-- The longest a service token of the organization may live (issue 14): owners and admins lower it in
-- Settings; tokens are created for 1 day up to this (365 by default, the most any token lives).
ALTER TABLE "organizations" ADD COLUMN "max_token_days" smallint DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_max_token_days_check" CHECK ("organizations"."max_token_days" between 1 and 365);
