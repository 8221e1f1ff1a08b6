-- Undoes 0034_invitation_keyed_hash as far as it can: the invitations it revoked stay revoked (their links were made
-- for the plain hash and nobody kept them); the code before it looks up plain hashes again.
SELECT 1;
