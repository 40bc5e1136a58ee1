-- Patrol tracks (issue 16). Positions are personal data: partitioned by fix time, one partition a
-- UTC day named patrol_positions_yyyymmdd, created ahead by the server (api/patrols/repository.ts)
-- and dropped whole at the end of retention; fixes outside every day partition land in the default
-- one, which retention trims row by row. drizzle-kit wrote the tables; the PARTITION BY clause and
-- everything after the generated statements is by hand. Both databases accept it (PostgreSQL 15,
-- PGlite's 18).
CREATE TABLE "patrol_gaps" (
	"patrol_id" text NOT NULL,
	"client_gap_id" text NOT NULL,
	"area_code" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"cause" text NOT NULL,
	CONSTRAINT "patrol_gaps_patrol_id_client_gap_id_pk" PRIMARY KEY("patrol_id","client_gap_id"),
	CONSTRAINT "patrol_gaps_order_check" CHECK ("patrol_gaps"."ended_at" >= "patrol_gaps"."started_at")
);
--> statement-breakpoint
CREATE TABLE "patrol_positions" (
	"patrol_id" text NOT NULL,
	"client_fix_id" text NOT NULL,
	"area_code" text NOT NULL,
	"fixed_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"accuracy_m" double precision NOT NULL,
	"speed_mps" double precision,
	"input_datum" text DEFAULT 'wgs84' NOT NULL,
	"poor_accuracy" boolean DEFAULT false NOT NULL,
	"jump" boolean DEFAULT false NOT NULL,
	CONSTRAINT "patrol_positions_patrol_id_client_fix_id_fixed_at_pk" PRIMARY KEY("patrol_id","client_fix_id","fixed_at")
) PARTITION BY RANGE ("fixed_at");
--> statement-breakpoint
CREATE TABLE "patrol_reports" (
	"patrol_id" text NOT NULL,
	"report_id" text NOT NULL,
	"area_code" text NOT NULL,
	CONSTRAINT "patrol_reports_patrol_id_report_id_pk" PRIMARY KEY("patrol_id","report_id")
);
--> statement-breakpoint
CREATE TABLE "patrols" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"worker_id" text NOT NULL,
	"worker_name" text NOT NULL,
	"worker_role" text NOT NULL,
	"area_code" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"distance_m" double precision DEFAULT 0 NOT NULL,
	"last_fix_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "patrol_reports" ADD CONSTRAINT "patrol_reports_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patrol_gaps_area_pattern_idx" ON "patrol_gaps" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "patrol_positions_patrol_time_idx" ON "patrol_positions" USING btree ("patrol_id","fixed_at");--> statement-breakpoint
CREATE INDEX "patrol_positions_area_time_idx" ON "patrol_positions" USING btree ("area_code" text_pattern_ops,"fixed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "patrols_client_idx" ON "patrols" USING btree ("worker_id","client_id");--> statement-breakpoint
CREATE INDEX "patrols_area_pattern_idx" ON "patrols" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "patrols_started_idx" ON "patrols" USING btree ("started_at");
--> statement-breakpoint
CREATE TABLE "patrol_positions_default" PARTITION OF "patrol_positions" DEFAULT;
--> statement-breakpoint
-- Scope as everywhere (0003, 0007): a patrol, its fixes, gaps and linked reports are visible where
-- the walker's area lies inside the reader's scope. Department cadres follow lines of cases, not
-- people: they see no patrol (0009's gcc_department is empty for every other role). Who of those
-- in scope may read another person's track, and the audit of that read, is the service's rule
-- (api/patrols/service.ts). Writes run as the owner after the service checked the patrol is the
-- caller's own, so the scoped role only reads.
GRANT SELECT ON patrols, patrol_positions, patrol_gaps, patrol_reports TO gcc_scoped;
--> statement-breakpoint
ALTER TABLE patrols ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY patrols_in_scope ON patrols FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
--> statement-breakpoint
ALTER TABLE patrol_positions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY patrol_positions_in_scope ON patrol_positions FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
--> statement-breakpoint
ALTER TABLE patrol_gaps ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY patrol_gaps_in_scope ON patrol_gaps FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
--> statement-breakpoint
ALTER TABLE patrol_reports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY patrol_reports_in_scope ON patrol_reports FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
