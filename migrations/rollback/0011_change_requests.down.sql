-- Undoes 0011_change_requests.
DROP TRIGGER change_requests_notify_insert ON change_requests;
DROP TRIGGER change_requests_notify_update ON change_requests;
DROP FUNCTION notify_change_requests();
DROP TRIGGER change_request_items_guard ON change_request_items;
DROP FUNCTION guard_change_request_item();
DROP TRIGGER change_requests_guard ON change_requests;
DROP FUNCTION guard_change_request();
DROP TRIGGER environment_variable_values_approval_insert ON environment_variable_values;
DROP TRIGGER environment_variable_values_approval_update ON environment_variable_values;
DROP TRIGGER environment_variable_values_approval_delete ON environment_variable_values;
DROP FUNCTION enforce_value_approval();
DROP POLICY env_var_values_apply_request_insert ON environment_variable_values;
DROP POLICY env_var_values_apply_request_update ON environment_variable_values;
DROP POLICY env_var_values_apply_request_delete ON environment_variable_values;
DROP FUNCTION app_change_request_allows(uuid, uuid, text, text);
DROP FUNCTION value_change_risk(text, boolean, text, text);
DROP FUNCTION app_value_heads(uuid, uuid[]);
DROP POLICY env_var_values_heads ON environment_variable_values;
