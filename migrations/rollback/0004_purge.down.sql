-- Undoes 0004_purge (purged variables stay purged: their values are gone).
DROP FUNCTION purge_deleted_variables();
DROP POLICY value_versions_purge ON value_versions;
