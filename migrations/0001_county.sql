CREATE TABLE "area_tile_geometries" (
	"code" text NOT NULL,
	"level" text NOT NULL,
	"band" smallint NOT NULL,
	"geom" geometry(MultiPolygon,3857) NOT NULL,
	CONSTRAINT "area_tile_geometries_level_band_code_pk" PRIMARY KEY("level","band","code")
);
--> statement-breakpoint
CREATE TABLE "areas" (
	"code" text PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"parent_code" text,
	"urban" boolean DEFAULT false NOT NULL,
	"population" integer DEFAULT 0 NOT NULL,
	"households" integer DEFAULT 0 NOT NULL,
	"pinyin" text DEFAULT '' NOT NULL,
	"pinyin_initials" text DEFAULT '' NOT NULL,
	"synthetic" boolean DEFAULT true NOT NULL,
	"area_m2" double precision DEFAULT 0 NOT NULL,
	"geom" geometry(MultiPolygon,4326) NOT NULL,
	"label_point" geometry(Point,4326) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_meta" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "households" (
	"code" text PRIMARY KEY NOT NULL,
	"cell_code" text NOT NULL,
	"residents" smallint NOT NULL,
	"address" text NOT NULL,
	"synthetic" boolean DEFAULT true NOT NULL,
	"geom" geometry(Point,4326) NOT NULL,
	"geom_3857" geometry(Point,3857) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"area_code" text NOT NULL,
	"phone" text NOT NULL,
	"department_code" text,
	"synthetic" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX "area_tile_geometries_geom_idx" ON "area_tile_geometries" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "areas_geom_idx" ON "areas" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "areas_parent_idx" ON "areas" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "areas_level_idx" ON "areas" USING btree ("level");--> statement-breakpoint
CREATE INDEX "areas_code_pattern_idx" ON "areas" USING btree ("code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "households_geom_idx" ON "households" USING gist ("geom");--> statement-breakpoint
CREATE INDEX "households_geom_3857_idx" ON "households" USING gist ("geom_3857");--> statement-breakpoint
CREATE INDEX "households_cell_idx" ON "households" USING btree ("cell_code");--> statement-breakpoint
CREATE INDEX "people_area_idx" ON "people" USING btree ("area_code");