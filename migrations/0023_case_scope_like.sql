-- The case tables' scope test (0020) ran `starts_with` once per row: on the embedded database,
-- where a county leader's year of review reads some 113,000 cases, steps and evaluations, that
-- test alone cost about 200 ns a row, and the review ran 1.2x the owner's time for the same SQL.
-- `LIKE 'prefix%'` is the same test and runs in about a quarter of that time (its matcher walks
-- the bytes; starts_with looks up the collation for every call). The pattern is built once per
-- statement, from the reader's scope with LIKE's own characters escaped, so that a scope can
-- never match more than the codes that start with it. `~~~` is LIKE with the estimate of `^@~`
-- (neqsel: nearly every row passes; the reader's own filter carries the real estimate). The rows
-- a reader sees do not change; WITH CHECK keeps `^@`, as writes are one row at a time.
CREATE FUNCTION gcc_scope_pattern() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT replace(replace(replace(gcc_scope(), '\', '\\'), '%', '\%'), '_', '\_') || '%'
$$;
--> statement-breakpoint
CREATE OPERATOR public.~~~ (FUNCTION = textlike, LEFTARG = text, RIGHTARG = text, RESTRICT = neqsel);
--> statement-breakpoint
ALTER POLICY reports_in_scope ON reports
  USING (
    cell_code OPERATOR(public.~~~) (SELECT gcc_scope_pattern())
    AND (
      (SELECT gcc_department()) = ''
      OR type = ANY ((SELECT d.report_types FROM departments d WHERE d.code = (SELECT gcc_department()))::text[])
      OR assigned_department_code = (SELECT gcc_department())
      OR co_department_codes ? (SELECT gcc_department())
      OR reporter_id = (SELECT gcc_account())
    )
  );
--> statement-breakpoint
ALTER POLICY case_steps_in_scope ON case_steps
  USING (
    cell_code OPERATOR(public.~~~) (SELECT gcc_scope_pattern())
    AND ((SELECT gcc_department()) = '' OR report_id IN (SELECT r.id FROM reports r))
  );
--> statement-breakpoint
ALTER POLICY case_evaluations_in_scope ON case_evaluations
  USING (area_code OPERATOR(public.~~~) (SELECT gcc_scope_pattern()) AND ((SELECT gcc_department()) = '' OR subject_code = (SELECT gcc_department())));
