-- Which cells each patrol walked on which day (issue 16): derived from the valid fixes by the
-- service (api/patrols/cells-repository.ts). drizzle-kit wrote the table; the grants and policy
-- after the generated statements are by hand.
CREATE TABLE "patrol_cells" (
	"patrol_id" text NOT NULL,
	"cell_code" text NOT NULL,
	"day" date NOT NULL,
	"area_code" text NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	CONSTRAINT "patrol_cells_patrol_id_cell_code_day_pk" PRIMARY KEY("patrol_id","cell_code","day")
);
--> statement-breakpoint
CREATE INDEX "patrol_cells_cell_day_idx" ON "patrol_cells" USING btree ("cell_code" text_pattern_ops,"day");--> statement-breakpoint
CREATE INDEX "patrol_cells_patrol_first_idx" ON "patrol_cells" USING btree ("patrol_id","first_at");--> statement-breakpoint
-- Scope as for 0010's tables: a cell-day is visible where the cell lies inside the reader's scope
-- (coverage is read cell by cell) or where the walker's area does (a worker's own patrol counts
-- the cells it walked beyond its grid). Department cadres see none. Rows are derived by the
-- service as the owner, so the scoped role only reads.
GRANT SELECT ON patrol_cells TO gcc_scoped;
--> statement-breakpoint
ALTER TABLE patrol_cells ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY patrol_cells_in_scope ON patrol_cells FOR SELECT TO gcc_scoped
  USING ((cell_code ^@ (SELECT gcc_scope()) OR area_code ^@ (SELECT gcc_scope())) AND (SELECT gcc_department()) = '');
