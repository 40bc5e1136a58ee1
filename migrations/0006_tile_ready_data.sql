CREATE TABLE "household_clusters" (
	"zoom" smallint NOT NULL,
	"cell_code" text NOT NULL,
	"code" text NOT NULL,
	"households" integer NOT NULL,
	"residents" integer NOT NULL,
	"geom_3857" geometry(Point,3857) NOT NULL,
	CONSTRAINT "household_clusters_zoom_code_pk" PRIMARY KEY("zoom","code")
);
--> statement-breakpoint
ALTER TABLE "area_tile_geometries" ADD COLUMN "name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "area_tile_geometries" ADD COLUMN "kind" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "area_tile_geometries" ADD COLUMN "population" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "area_tile_geometries" ADD COLUMN "households" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "area_tile_geometries" ADD COLUMN "urban" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "household_clusters_geom_3857_idx" ON "household_clusters" USING gist ("geom_3857");--> statement-breakpoint
-- Clusters are households merged: the same scope applies (see 0003). Data seeded before this
-- migration gets its clusters and the outline properties when the server next starts
-- (ensureTileData in api/seed/service.ts).
GRANT SELECT ON household_clusters TO gcc_scoped;--> statement-breakpoint
ALTER TABLE household_clusters ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY household_clusters_in_scope ON household_clusters FOR SELECT TO gcc_scoped
  USING (cell_code LIKE gcc_scope() || '%');
