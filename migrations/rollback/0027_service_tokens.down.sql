-- Undoes 0027_service_tokens.
DROP FUNCTION service_token_by_hash(text);
DROP TABLE service_tokens;
