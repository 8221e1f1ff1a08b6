-- Undoes 0032_cli_logins: no CLI logins; personal tokens already minted stay as service tokens until they expire.
DROP FUNCTION cli_login_deliver(text, uuid);
DROP FUNCTION cli_login_poll(text, interval);
DROP FUNCTION cli_login_decide(text, boolean, uuid[], text);
DROP FUNCTION cli_login_pending(text);
DROP FUNCTION cli_login_start(text, text, text, text, text, interval);
DROP TABLE "cli_logins";
ALTER TABLE "service_tokens" DROP CONSTRAINT "service_tokens_kind_check";
ALTER TABLE "service_tokens" DROP COLUMN "kind";
