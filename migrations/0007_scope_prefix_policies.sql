-- The scope policies of 0003 and 0005 read the scope once per statement instead of once per row.
-- `code LIKE gcc_scope() || '%'` looked the setting up by name and built the pattern again for
-- every row it tested: over the rows of a county-wide vector tile that made the tile SQL 15–26%
-- slower as gcc_scoped than as the owner. `^@` (starts with) against `(SELECT gcc_scope())`
-- evaluates the scope once and compares prefixes without a pattern; measured on the same tiles
-- it is within 4% of the owner. The planner estimates `^@` as it did the LIKE (a prefix match),
-- so other plans keep their shape, and a scope can no longer be read as a pattern.
ALTER POLICY areas_in_scope ON areas
  USING (code ^@ (SELECT gcc_scope()) OR (SELECT gcc_scope()) ^@ code);
--> statement-breakpoint
ALTER POLICY area_tile_geometries_in_scope ON area_tile_geometries
  USING (code ^@ (SELECT gcc_scope()) OR (SELECT gcc_scope()) ^@ code);
--> statement-breakpoint
ALTER POLICY households_in_scope ON households
  USING (cell_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY household_clusters_in_scope ON household_clusters
  USING (cell_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY people_in_scope ON people
  USING (area_code ^@ (SELECT gcc_scope()) OR (SELECT gcc_scope()) ^@ area_code);
--> statement-breakpoint
ALTER POLICY accounts_in_scope ON accounts
  USING (scope_code ^@ (SELECT gcc_scope()))
  WITH CHECK (scope_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY audit_log_in_scope ON audit_log
  USING (scope_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY reports_in_scope ON reports
  USING (cell_code ^@ (SELECT gcc_scope()))
  WITH CHECK (cell_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY report_photos_in_scope ON report_photos
  USING (cell_code ^@ (SELECT gcc_scope()))
  WITH CHECK (cell_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY case_steps_in_scope ON case_steps
  USING (cell_code ^@ (SELECT gcc_scope()))
  WITH CHECK (cell_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY report_alerts_in_scope ON report_alerts
  USING (area_code ^@ (SELECT gcc_scope()))
  WITH CHECK (area_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY live_events_in_scope ON live_events
  USING (scope_code ^@ (SELECT gcc_scope()));
