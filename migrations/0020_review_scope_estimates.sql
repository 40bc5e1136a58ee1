-- The scope policies compare a code with the reader's scope, read once per statement through a
-- sub-select (0007). The planner cannot see that value when it plans, so it estimated `^@`
-- against it with its default for a prefix match of unknown pattern: half a percent of the rows.
-- A county leader's year of cases (19,000 of them, 76,000 steps) was planned as 95 cases and one
-- step: nested loops, sorts spilled to disk, and the county's review ran 1.5-1.9x the owner's time
-- for the same SQL. `^@~` is the same test (the function behind `^@`, starts_with), estimated as
-- "nearly every row passes" (neqsel with an unknown value): the reader's own query says which area
-- it reads, and that filter, a literal, carries the real estimate. The rows a reader sees do not
-- change, only the estimate; the policies of the case tables the review reads move to it.
--
-- A step is visible with its case (0009). Asked as EXISTS, that sub-plan was costed for every step
-- although the OR before it settles every reader that is no department cadre: a county's steps
-- cost 785,000 units, which chose index scans over hashing (and JIT on PostgreSQL). As IN, the
-- planner may hash the cadre's cases once per statement, or probe per step where few are read; the
-- rows are the same.
CREATE OPERATOR public.^@~ (FUNCTION = starts_with, LEFTARG = text, RIGHTARG = text, RESTRICT = neqsel);
--> statement-breakpoint
ALTER POLICY reports_in_scope ON reports
  USING (
    cell_code OPERATOR(public.^@~) (SELECT gcc_scope())
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
ALTER POLICY case_steps_in_scope ON case_steps
  USING (
    cell_code OPERATOR(public.^@~) (SELECT gcc_scope())
    AND ((SELECT gcc_department()) = '' OR report_id IN (SELECT r.id FROM reports r))
  )
  WITH CHECK (cell_code ^@ (SELECT gcc_scope()));
--> statement-breakpoint
ALTER POLICY case_evaluations_in_scope ON case_evaluations
  USING (area_code OPERATOR(public.^@~) (SELECT gcc_scope()) AND ((SELECT gcc_department()) = '' OR subject_code = (SELECT gcc_department())));
