-- A department sees its own lines and what is sent to it (DESIGN.md, Security): each department
-- lists the report types it answers for, and a department cadre's reads are cut to the cases of
-- those types, or dispatched or co-assigned to its department, or filed by the cadre itself,
-- within its area scope. The department comes in the setting gcc.department next to gcc.scope
-- (api/db/scoped.ts); it is empty for every other role, and each policy tests that first, once per
-- statement, so other accounts' reads pay one comparison per row.
ALTER TABLE "departments" ADD COLUMN "report_types" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "live_events" ADD COLUMN "department_codes" text[];
--> statement-breakpoint
-- Databases seeded before this migration get the lines the seed now writes
-- (api/departments/county-departments.ts).
UPDATE departments d SET report_types = v.report_types
FROM (VALUES
  ('D01', ARRAY['production_safety', 'flood', 'fire', 'landslide', 'rockfall', 'ground_crack']::text[]),
  ('D02', ARRAY['landslide', 'rockfall', 'ground_crack']::text[]),
  ('D03', ARRAY['dispute']::text[]),
  ('D04', ARRAY['epidemic']::text[]),
  ('D05', ARRAY['flood']::text[]),
  ('D06', ARRAY['other']::text[]),
  ('D07', ARRAY['production_safety']::text[]),
  ('D09', ARRAY['dispute']::text[]),
  ('D17', ARRAY['road_damage']::text[]),
  ('D22', ARRAY['production_safety']::text[]),
  ('D25', ARRAY['fire']::text[]),
  ('D27', ARRAY['other']::text[]),
  ('D28', ARRAY['dispute']::text[]),
  ('D35', ARRAY['flood']::text[]),
  ('D36', ARRAY['fire']::text[]),
  ('D48', ARRAY['dispute']::text[]),
  ('D56', ARRAY['epidemic']::text[]),
  ('D58', ARRAY['epidemic']::text[]),
  ('D59', ARRAY['road_damage']::text[])
) AS v(code, report_types)
WHERE d.code = v.code;
--> statement-breakpoint
-- The department of the current request; '' for an account that is no department cadre.
CREATE FUNCTION gcc_department() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT COALESCE(current_setting('gcc.department', true), '')
$$;
--> statement-breakpoint
-- The account of the current request when it is a department cadre (its own reports stay its own);
-- '-' (no account id) otherwise.
CREATE FUNCTION gcc_account() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(current_setting('gcc.account', true), ''), '-')
$$;
--> statement-breakpoint
-- Writes stay checked against the scope alone: a cadre's own action may move a case off its lines
-- (a send-back approved later, say) without the write being refused half-way.
ALTER POLICY reports_in_scope ON reports
  USING (
    cell_code ^@ (SELECT gcc_scope())
    AND (
      (SELECT gcc_department()) = ''
      OR type = ANY ((SELECT d.report_types FROM departments d WHERE d.code = (SELECT gcc_department()))::text[])
      OR assigned_department_code = (SELECT gcc_department())
      OR co_department_codes ? (SELECT gcc_department())
      OR reporter_id = (SELECT gcc_account())
    )
  )
  WITH CHECK (cell_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
-- What is keyed to a case is visible with the case: the EXISTS reads reports under its policy.
ALTER POLICY case_steps_in_scope ON case_steps
  USING (
    cell_code ^@ (SELECT gcc_scope())
    AND ((SELECT gcc_department()) = '' OR EXISTS (SELECT 1 FROM reports r WHERE r.id = case_steps.report_id))
  )
  WITH CHECK (cell_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY report_photos_in_scope ON report_photos
  USING (
    cell_code ^@ (SELECT gcc_scope())
    AND ((SELECT gcc_department()) = '' OR EXISTS (SELECT 1 FROM reports r WHERE r.id = report_photos.report_id))
  )
  WITH CHECK (cell_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY report_alerts_in_scope ON report_alerts
  USING (
    area_code ^@ (SELECT gcc_scope())
    AND ((SELECT gcc_department()) = '' OR EXISTS (SELECT 1 FROM reports r WHERE r.id = report_alerts.report_id))
  )
  WITH CHECK (area_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
-- An event about a case names the departments that saw the case when it happened
-- (api/live/events.ts); the live hub filters its fan-out on the same column.
ALTER POLICY live_events_in_scope ON live_events
  USING (
    scope_code ^@ (SELECT gcc_scope())
    AND ((SELECT gcc_department()) = '' OR department_codes IS NULL OR (SELECT gcc_department()) = ANY (department_codes))
  );
--> statement-breakpoint
-- Events logged before this migration: the departments their case has now. The log is append-only,
-- so its guard steps aside for this one derived column.
ALTER TABLE live_events DISABLE TRIGGER live_events_no_change;
--> statement-breakpoint
UPDATE live_events e SET department_codes = ARRAY(
  SELECT d.code FROM departments d
  WHERE r.type = ANY (d.report_types) OR d.code = r.assigned_department_code OR r.co_department_codes ? d.code
  ORDER BY d.code
)
FROM reports r
WHERE r.id = e.payload->'case'->>'id';
--> statement-breakpoint
ALTER TABLE live_events ENABLE TRIGGER live_events_no_change;
