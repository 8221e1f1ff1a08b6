-- Undoes 0028_token_lifetime: tokens live up to 365 days again, whatever an organization had set.
ALTER TABLE "organizations" DROP COLUMN "max_token_days";
