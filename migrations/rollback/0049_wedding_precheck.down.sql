-- Undoes 0049_wedding_precheck: no pre-check runs, no recorded restore drills.
DROP FUNCTION record_wedding_precheck(text, text, timestamptz, timestamptz);
DROP FUNCTION wedding_precheck_report(timestamptz, timestamptz);
DROP TABLE wedding_prechecks;
DROP TABLE ops_restore_drills;
