-- SECURITY DEFINER functions run with the owner's rights; with `search_path = public` alone, PostgreSQL still
-- searches the caller's temporary schema first, so a session could shadow a table with a temporary one of
-- the same name and feed the function forged rows. Every definer function in public now resolves names in
-- public first and the temporary schema last (PostgreSQL's recommendation for definer functions).
DO $$
DECLARE f record;
BEGIN
  FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND p.prosecdef LOOP
    EXECUTE format('ALTER FUNCTION %s SET search_path = public, pg_temp', f.sig);
  END LOOP;
END $$;
