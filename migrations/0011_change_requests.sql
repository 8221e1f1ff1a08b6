-- Change requests: four-eyes approval of HIGH and CRITICAL value changes (filled in by the change-request work).
SELECT 1;
