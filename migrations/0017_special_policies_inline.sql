-- The special-population policies (0016) read the scope through a function, gcc_special_reach,
-- which PostgreSQL could not inline (it holds sub-selects) and so called once per row: the heatmap
-- of 300,000 visits spent 2.9 of its 3.7 s in it. Every other policy reads gcc_scope() through a
-- sub-select written in the policy itself, which the planner runs once per statement (an InitPlan)
-- and the scope fence checks (tests/integration/scoped-reads.test.ts). The rows are those in the
-- reader's scope; department cadres see none. A break-the-glass grant lies inside its holder's
-- scope and opens personal fields there (api/special-heatmap/access-service.ts), not rows beyond
-- it: the grant clause of 0016 could never hold, since only department cadres' connections carry
-- their account (api/db/scoped.ts).
DROP POLICY special_people_in_reach ON special_people;
--> statement-breakpoint
DROP POLICY special_person_states_in_reach ON special_person_states;
--> statement-breakpoint
DROP POLICY special_visits_in_reach ON special_visits;
--> statement-breakpoint
DROP POLICY special_visit_photos_in_reach ON special_visit_photos;
--> statement-breakpoint
DROP FUNCTION gcc_special_reach(text);
--> statement-breakpoint
CREATE POLICY special_people_in_reach ON special_people FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
--> statement-breakpoint
CREATE POLICY special_person_states_in_reach ON special_person_states FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
--> statement-breakpoint
CREATE POLICY special_visits_in_reach ON special_visits FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
--> statement-breakpoint
CREATE POLICY special_visit_photos_in_reach ON special_visit_photos FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
