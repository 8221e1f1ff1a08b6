-- Access rules: time-of-day restrictions on access policies; accepting invitations.
SELECT 1;
