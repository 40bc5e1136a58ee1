-- Area scope is enforced in the database. Every request's reads run as gcc_scoped with the
-- account's scope code in the setting gcc.scope (api/db/scoped.ts); these policies cut each
-- table to that scope. The owner (migrations, seed, sign-in bookkeeping) is not affected.
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gcc_scoped') THEN
    CREATE ROLE gcc_scoped NOLOGIN;
  END IF;
END $$;
--> statement-breakpoint
GRANT gcc_scoped TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO gcc_scoped;
--> statement-breakpoint
GRANT SELECT ON areas, area_tile_geometries, households, people, departments, dataset_meta TO gcc_scoped;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON accounts TO gcc_scoped;
--> statement-breakpoint
GRANT SELECT ON audit_log TO gcc_scoped;
--> statement-breakpoint
-- When an account was last active, for the account list; never the token hashes.
GRANT SELECT (account_id, last_seen_at) ON sessions TO gcc_scoped;
--> statement-breakpoint
-- Under row-level security the planner only uses an index for a leakproof operator, and
-- PostGIS does not mark its bounding-box && so: every scoped tile query would scan the whole
-- table (80 ms instead of 1 ms for a household tile). && compares two boxes and reveals nothing
-- else of a row, so it is marked leakproof here when the migration runs as a superuser; the
-- server warns at start when it is not (see api/db/leakproof.ts).
DO $$ BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION geometry_overlaps(geometry, geometry) LEAKPROOF;
  END IF;
END $$;
--> statement-breakpoint
-- The scope of the current request; '-' (which no code starts with) when none is set.
CREATE FUNCTION gcc_scope() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(current_setting('gcc.scope', true), ''), '-')
$$;
--> statement-breakpoint
ALTER TABLE areas ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- An area is visible inside the scope, and so are its ancestors (for the breadcrumb).
CREATE POLICY areas_in_scope ON areas FOR SELECT TO gcc_scoped
  USING (code LIKE gcc_scope() || '%' OR gcc_scope() LIKE code || '%');
--> statement-breakpoint
ALTER TABLE area_tile_geometries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY area_tile_geometries_in_scope ON area_tile_geometries FOR SELECT TO gcc_scoped
  USING (code LIKE gcc_scope() || '%' OR gcc_scope() LIKE code || '%');
--> statement-breakpoint
ALTER TABLE households ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY households_in_scope ON households FOR SELECT TO gcc_scoped
  USING (cell_code LIKE gcc_scope() || '%');
--> statement-breakpoint
ALTER TABLE people ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- People responsible inside the scope, and those above it (whom one reports to).
CREATE POLICY people_in_scope ON people FOR SELECT TO gcc_scoped
  USING (area_code LIKE gcc_scope() || '%' OR gcc_scope() LIKE area_code || '%');
--> statement-breakpoint
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY accounts_in_scope ON accounts FOR ALL TO gcc_scoped
  USING (scope_code LIKE gcc_scope() || '%')
  WITH CHECK (scope_code LIKE gcc_scope() || '%');
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_log_in_scope ON audit_log FOR SELECT TO gcc_scoped
  USING (scope_code LIKE gcc_scope() || '%');
--> statement-breakpoint
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
