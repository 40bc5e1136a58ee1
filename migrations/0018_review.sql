CREATE TABLE "case_evaluations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"report_id" text NOT NULL,
	"party" text NOT NULL,
	"subject_code" text DEFAULT '' NOT NULL,
	"score" smallint NOT NULL,
	"source" text NOT NULL,
	"called_name" text,
	"called_phone" text,
	"note" text DEFAULT '' NOT NULL,
	"evaluator_id" text,
	"evaluator_name" text NOT NULL,
	"evaluator_role" text NOT NULL,
	"client_id" text NOT NULL,
	"area_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_evaluations_party_check" CHECK ("case_evaluations"."party" IN ('resident', 'department', 'grid_worker')),
	CONSTRAINT "case_evaluations_source_check" CHECK ("case_evaluations"."source" IN ('field', 'return_call', 'department', 'grid_worker')),
	CONSTRAINT "case_evaluations_score_check" CHECK ("case_evaluations"."score" BETWEEN 1 AND 5),
	CONSTRAINT "case_evaluations_return_call_check" CHECK ("case_evaluations"."source" <> 'return_call' OR ("case_evaluations"."called_name" IS NOT NULL AND "case_evaluations"."called_phone" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "commendations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"person_id" text NOT NULL,
	"title" text NOT NULL,
	"score" real NOT NULL,
	"rank" integer NOT NULL,
	"area_code" text NOT NULL,
	"awarded_by" text,
	"awarded_by_name" text NOT NULL,
	"awarded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_providers" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"services" text[] DEFAULT '{}'::text[] NOT NULL,
	"service_area_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"area_code" text NOT NULL,
	"contact_name" text NOT NULL,
	"contact_phone" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_providers_category_check" CHECK ("service_providers"."category" IN ('company', 'clinic', 'ngo', 'volunteer', 'arts'))
);
--> statement-breakpoint
CREATE TABLE "worker_credentials" (
	"person_id" text PRIMARY KEY NOT NULL,
	"certificate" text DEFAULT 'none' NOT NULL,
	"certificate_number" text,
	"certified_on" date,
	"exam_status" text DEFAULT 'not_registered' NOT NULL,
	"exam_year" integer,
	"area_code" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "worker_credentials_certificate_check" CHECK ("worker_credentials"."certificate" IN ('none', 'assistant', 'intermediate', 'senior')),
	CONSTRAINT "worker_credentials_exam_check" CHECK ("worker_credentials"."exam_status" IN ('not_registered', 'registered', 'passed', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "worker_surveys" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"area_code" text NOT NULL,
	"household_code" text,
	"score" smallint NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"collected_by" text,
	"collected_by_name" text NOT NULL,
	"client_id" text NOT NULL,
	"surveyed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "worker_surveys_score_check" CHECK ("worker_surveys"."score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "worker_trainings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"course" text NOT NULL,
	"hours" real NOT NULL,
	"completed_on" date NOT NULL,
	"area_code" text NOT NULL,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "worker_trainings_hours_check" CHECK ("worker_trainings"."hours" > 0 AND "worker_trainings"."hours" <= 1000)
);
--> statement-breakpoint
ALTER TABLE "departments" ADD COLUMN "kind" text DEFAULT 'department' NOT NULL;--> statement-breakpoint
ALTER TABLE "case_evaluations" ADD CONSTRAINT "case_evaluations_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_evaluations_party_idx" ON "case_evaluations" USING btree ("report_id","party","subject_code");--> statement-breakpoint
CREATE UNIQUE INDEX "case_evaluations_client_idx" ON "case_evaluations" USING btree ("evaluator_id","client_id");--> statement-breakpoint
CREATE INDEX "case_evaluations_area_pattern_idx" ON "case_evaluations" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "commendations_year_person_idx" ON "commendations" USING btree ("year","person_id","title");--> statement-breakpoint
CREATE INDEX "commendations_area_pattern_idx" ON "commendations" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "service_providers_location_idx" ON "service_providers" USING gist ("location");--> statement-breakpoint
CREATE INDEX "worker_credentials_area_pattern_idx" ON "worker_credentials" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "worker_surveys_client_idx" ON "worker_surveys" USING btree ("collected_by","client_id");--> statement-breakpoint
CREATE INDEX "worker_surveys_person_idx" ON "worker_surveys" USING btree ("person_id","surveyed_at");--> statement-breakpoint
CREATE INDEX "worker_surveys_area_pattern_idx" ON "worker_surveys" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "worker_trainings_person_idx" ON "worker_trainings" USING btree ("person_id","completed_on");--> statement-breakpoint
CREATE INDEX "worker_trainings_area_pattern_idx" ON "worker_trainings" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
-- Scope as everywhere (0003, 0007, 0017): each row is visible where its cell or grid lies inside
-- the reader's scope, the scope read through a sub-select in the policy itself (run once per
-- statement). Department cadres see the evaluations of their own department only. Service
-- providers are public facts like the departments they are rows of: what they offer, where they
-- serve, whom to call. Writes run as the owner after the service checked the caller.
GRANT SELECT ON case_evaluations, service_providers, worker_credentials, worker_trainings, worker_surveys, commendations TO gcc_scoped;
--> statement-breakpoint
ALTER TABLE case_evaluations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY case_evaluations_in_scope ON case_evaluations FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND ((SELECT gcc_department()) = '' OR subject_code = (SELECT gcc_department())));
--> statement-breakpoint
ALTER TABLE worker_credentials ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY worker_credentials_in_scope ON worker_credentials FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
--> statement-breakpoint
ALTER TABLE worker_trainings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY worker_trainings_in_scope ON worker_trainings FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
--> statement-breakpoint
ALTER TABLE worker_surveys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY worker_surveys_in_scope ON worker_surveys FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
--> statement-breakpoint
ALTER TABLE commendations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY commendations_in_scope ON commendations FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND (SELECT gcc_department()) = '');
