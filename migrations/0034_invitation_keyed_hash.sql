-- Invitation tokens are kept as keyed hashes from now on (an HMAC under a key derived from the master key,
-- db/vault.ts `invitationHash`), no longer as a plain SHA-256 a copy of the table could be checked against. A pending
-- invitation made before holds a hash its link no longer matches: it is revoked here, and the Access page offers
-- to invite again (docs/operations.md, "Upgrading").
DO $$
BEGIN
  EXECUTE format('CREATE POLICY invitations_keyed_hash_upgrade ON invitations FOR UPDATE TO %I USING (true) WITH CHECK (true)', current_user);
  UPDATE invitations SET revoked_at = now() WHERE accepted_at IS NULL AND revoked_at IS NULL;
  DROP POLICY invitations_keyed_hash_upgrade ON invitations;
END $$;
