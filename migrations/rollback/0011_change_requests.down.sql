-- Undoes 0011_change_requests.
SELECT 1;
