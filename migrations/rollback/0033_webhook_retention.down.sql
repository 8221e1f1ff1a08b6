-- Undoes 0033_webhook_retention: the webhook log is kept for ever again.
DROP FUNCTION purge_webhook_log(integer);
