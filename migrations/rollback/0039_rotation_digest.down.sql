-- Undoes 0039_rotation_digest: no weekly digest of credentials due for rotation.
DROP FUNCTION credential_rotation_digest();
