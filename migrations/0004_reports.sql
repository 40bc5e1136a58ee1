CREATE TABLE "case_steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" text,
	"actor_name" text NOT NULL,
	"actor_role" text NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"details" jsonb,
	"client_id" text,
	"cell_code" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"type" text NOT NULL,
	"scope_code" text NOT NULL,
	"payload" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"report_id" text NOT NULL,
	"person_id" text NOT NULL,
	"person_name" text NOT NULL,
	"person_role" text NOT NULL,
	"area_code" text NOT NULL,
	"alerted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"alerted_by" text,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text
);
--> statement-breakpoint
CREATE TABLE "report_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"report_id" text NOT NULL,
	"step_id" bigint,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"cell_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" text PRIMARY KEY NOT NULL,
	"case_number" text NOT NULL,
	"client_id" text NOT NULL,
	"reporter_id" text,
	"reporter_name" text NOT NULL,
	"reporter_role" text NOT NULL,
	"source" text DEFAULT 'field' NOT NULL,
	"type" text NOT NULL,
	"urgency" text NOT NULL,
	"description" text NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"accuracy_m" double precision,
	"input_datum" text DEFAULT 'wgs84' NOT NULL,
	"cell_code" text NOT NULL,
	"grid_code" text NOT NULL,
	"village_code" text NOT NULL,
	"township_code" text NOT NULL,
	"state" text NOT NULL,
	"responsible_level" text DEFAULT 'cell' NOT NULL,
	"assigned_township_code" text,
	"assigned_department_code" text,
	"co_department_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"pending_request" jsonb,
	"parked" boolean DEFAULT false NOT NULL,
	"supervised" boolean DEFAULT false NOT NULL,
	"clock_stage" text,
	"clock_started_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"limit_amount" integer,
	"limit_unit" text,
	"escalation_count" smallint DEFAULT 0 NOT NULL,
	"taken_at" timestamp with time zone,
	"taken_by" text,
	"merged_into" text,
	"satisfaction" smallint,
	"control_zone" geometry(Polygon,4326),
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"filed_at" timestamp with time zone,
	"dispatched_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_on_time" boolean,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "reports_case_number_unique" UNIQUE("case_number")
);
--> statement-breakpoint
CREATE TABLE "time_limits" (
	"type" text NOT NULL,
	"urgency" text NOT NULL,
	"stage" text NOT NULL,
	"amount" integer NOT NULL,
	"unit" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "time_limits_type_urgency_stage_pk" PRIMARY KEY("type","urgency","stage")
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "department_code" text;--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_alerts" ADD CONSTRAINT "report_alerts_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_photos" ADD CONSTRAINT "report_photos_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_steps_report_idx" ON "case_steps" USING btree ("report_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "case_steps_client_idx" ON "case_steps" USING btree ("report_id","client_id");--> statement-breakpoint
CREATE INDEX "live_events_scope_idx" ON "live_events" USING btree ("scope_code" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "report_alerts_person_idx" ON "report_alerts" USING btree ("report_id","person_id");--> statement-breakpoint
CREATE INDEX "report_alerts_area_idx" ON "report_alerts" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "report_photos_report_idx" ON "report_photos" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "reports_location_idx" ON "reports" USING gist ("location");--> statement-breakpoint
CREATE INDEX "reports_cell_pattern_idx" ON "reports" USING btree ("cell_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "reports_state_idx" ON "reports" USING btree ("state");--> statement-breakpoint
CREATE INDEX "reports_reported_at_idx" ON "reports" USING btree ("reported_at");--> statement-breakpoint
CREATE INDEX "reports_due_idx" ON "reports" USING btree ("due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_client_idx" ON "reports" USING btree ("reporter_id","client_id");