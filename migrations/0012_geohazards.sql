-- The geohazard watch (issue 16): the register of known points, each with its monitor, and the
-- county's patrol rule, versioned by the day it applies from. drizzle-kit wrote the tables; the
-- default rule, grants and policies after the generated statements are by hand.
CREATE TABLE "geohazard_points" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"area_code" text NOT NULL,
	"monitor_id" text NOT NULL,
	"monitor_name" text NOT NULL,
	"threatened_households" integer DEFAULT 0 NOT NULL,
	"threatened_people" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "geohazard_points_threat_check" CHECK ("geohazard_points"."threatened_households" >= 0 AND "geohazard_points"."threatened_people" >= 0)
);
--> statement-breakpoint
CREATE TABLE "geohazard_rules" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"effective_from" date NOT NULL,
	"season_start_month" smallint NOT NULL,
	"season_end_month" smallint NOT NULL,
	"in_season_per_day" smallint NOT NULL,
	"off_season_per_day" smallint NOT NULL,
	"set_by_id" text,
	"set_by_name" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "geohazard_rules_effective_from_unique" UNIQUE("effective_from"),
	CONSTRAINT "geohazard_rules_months_check" CHECK ("geohazard_rules"."season_start_month" BETWEEN 1 AND 12 AND "geohazard_rules"."season_end_month" BETWEEN 1 AND 12),
	CONSTRAINT "geohazard_rules_counts_check" CHECK ("geohazard_rules"."in_season_per_day" BETWEEN 0 AND 24 AND "geohazard_rules"."off_season_per_day" BETWEEN 0 AND 24)
);
--> statement-breakpoint
CREATE INDEX "geohazard_points_area_pattern_idx" ON "geohazard_points" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "geohazard_points_monitor_idx" ON "geohazard_points" USING btree ("monitor_id");

--> statement-breakpoint
-- Four patrols a day in the rainy season, May to September (DESIGN.md "Geohazard watch"); one a day
-- out of season, so a point is never left unwatched for months. Changed at PUT /api/geohazards/rule.
INSERT INTO geohazard_rules (effective_from, season_start_month, season_end_month, in_season_per_day, off_season_per_day, set_by_name)
VALUES ('2000-01-01', 5, 9, 4, 1, 'default');
--> statement-breakpoint
-- Scope as everywhere (0003, 0007): a point is visible where its cell lies inside the reader's scope.
-- Department cadres see points too (the natural resources bureau watches them); the rule is one for
-- the county and readable by all. Writes run as the owner after the service checked the caller.
GRANT SELECT ON geohazard_points, geohazard_rules TO gcc_scoped;
--> statement-breakpoint
ALTER TABLE geohazard_points ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY geohazard_points_in_scope ON geohazard_points FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()));
