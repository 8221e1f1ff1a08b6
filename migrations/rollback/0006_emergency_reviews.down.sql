-- Undoes 0006_emergency_reviews (the review items go with it).
DROP TRIGGER environment_variable_audit_emergency_review ON environment_variable_audit;
DROP FUNCTION open_emergency_review();
DROP TABLE emergency_reviews;
