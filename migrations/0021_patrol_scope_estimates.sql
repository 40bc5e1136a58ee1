-- The scope policies of the patrol tables (0010, 0011) were planned as letting almost no row
-- through. The scope and department are read through sub-selects the planner cannot see, so it
-- estimated `^@` against the scope at half a percent (0020 says why) and `(SELECT
-- gcc_department()) = ''` at half a percent again: a cell-day was estimated at 1 in 20,000 rows
-- of what the reader's own filter reads (two scope tests ORed, then the department). A township's
-- 30 days of cell-days, 58,000 of them on the 50-million-position bench, were planned as 3: sorted
-- and grouped instead of hashed, the sort spilled to disk, and the coverage read ran 2-3x the
-- owner's time for the same SQL.
--
-- The scope tests move to `^@~` (0020: the same starts_with, estimated as passing nearly every
-- row), and the department test to `=~`, the same text equality (texteq, leakproof as `=` is)
-- estimated the same way (neqsel: with no column on either side it passes 99.5%): the setting is
-- one value for the whole statement, and for every reader who may see patrols at all it is ''.
-- The rows each reader sees do not change, only the estimates; the reader's own filters (an area
-- prefix, a day, a patrol) carry the real ones.
CREATE OPERATOR public.=~ (FUNCTION = texteq, LEFTARG = text, RIGHTARG = text, RESTRICT = neqsel);
--> statement-breakpoint
ALTER POLICY patrols_in_scope ON patrols
  USING (area_code OPERATOR(public.^@~) (SELECT gcc_scope()) AND (SELECT gcc_department()) OPERATOR(public.=~) '');
--> statement-breakpoint
ALTER POLICY patrol_positions_in_scope ON patrol_positions
  USING (area_code OPERATOR(public.^@~) (SELECT gcc_scope()) AND (SELECT gcc_department()) OPERATOR(public.=~) '');
--> statement-breakpoint
ALTER POLICY patrol_gaps_in_scope ON patrol_gaps
  USING (area_code OPERATOR(public.^@~) (SELECT gcc_scope()) AND (SELECT gcc_department()) OPERATOR(public.=~) '');
--> statement-breakpoint
ALTER POLICY patrol_reports_in_scope ON patrol_reports
  USING (area_code OPERATOR(public.^@~) (SELECT gcc_scope()) AND (SELECT gcc_department()) OPERATOR(public.=~) '');
--> statement-breakpoint
ALTER POLICY patrol_cells_in_scope ON patrol_cells
  USING (
    (cell_code OPERATOR(public.^@~) (SELECT gcc_scope()) OR area_code OPERATOR(public.^@~) (SELECT gcc_scope()))
    AND (SELECT gcc_department()) OPERATOR(public.=~) ''
  );
