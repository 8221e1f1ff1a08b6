-- Undoes 0048_ops_backups: backups are no longer recorded.
DROP TABLE ops_backups;
