CREATE TABLE "task_lines" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department_codes" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"area_code" text NOT NULL,
	"department_code" text,
	"uploaded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_reminders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"target_id" integer NOT NULL,
	"kind" text NOT NULL,
	"recipient_id" text,
	"sent_by" text,
	"sent_by_name" text NOT NULL,
	"area_code" text NOT NULL,
	"department_code" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_reminders_kind_check" CHECK ("task_reminders"."kind" IN ('remind', 'escalate_worker', 'escalate_chief'))
);
--> statement-breakpoint
CREATE TABLE "task_responses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"target_id" integer NOT NULL,
	"household_code" text DEFAULT '' NOT NULL,
	"answers" jsonb NOT NULL,
	"location" geometry(Point,4326),
	"responder_id" text,
	"responder_name" text NOT NULL,
	"client_id" text NOT NULL,
	"area_code" text NOT NULL,
	"department_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_targets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"target_kind" text NOT NULL,
	"area_code" text NOT NULL,
	"person_id" text,
	"department_code" text,
	"delivered_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"reminders" integer DEFAULT 0 NOT NULL,
	"last_reminded_at" timestamp with time zone,
	"escalation_level" smallint DEFAULT 0 NOT NULL,
	"escalated_at" timestamp with time zone,
	CONSTRAINT "task_targets_kind_check" CHECK ("task_targets"."target_kind" IN ('cell', 'grid')),
	CONSTRAINT "task_targets_escalation_check" CHECK ("task_targets"."escalation_level" BETWEEN 0 AND 2)
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"line_code" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"fields" jsonb,
	"per_household" boolean DEFAULT false NOT NULL,
	"area_code" text NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"escalate_after_minutes" integer DEFAULT 60 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"drill" boolean DEFAULT false NOT NULL,
	"owner_id" text,
	"owner_name" text NOT NULL,
	"department_code" text,
	"client_id" text NOT NULL,
	"target_count" integer DEFAULT 0 NOT NULL,
	"dispatched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "tasks_kind_check" CHECK ("tasks"."kind" IN ('notice', 'collection')),
	CONSTRAINT "tasks_status_check" CHECK ("tasks"."status" IN ('open', 'closed', 'cancelled')),
	CONSTRAINT "tasks_form_check" CHECK (("tasks"."kind" = 'notice') = ("tasks"."fields" IS NULL)),
	CONSTRAINT "tasks_escalate_check" CHECK ("tasks"."escalate_after_minutes" BETWEEN 5 AND 10080)
);
--> statement-breakpoint
ALTER TABLE "task_photos" ADD CONSTRAINT "task_photos_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_reminders" ADD CONSTRAINT "task_reminders_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_responses" ADD CONSTRAINT "task_responses_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_targets" ADD CONSTRAINT "task_targets_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_line_code_task_lines_code_fk" FOREIGN KEY ("line_code") REFERENCES "public"."task_lines"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "task_photos_sha_idx" ON "task_photos" USING btree ("task_id","area_code","sha256");--> statement-breakpoint
CREATE INDEX "task_photos_area_pattern_idx" ON "task_photos" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "task_reminders_task_idx" ON "task_reminders" USING btree ("task_id","target_id");--> statement-breakpoint
CREATE INDEX "task_reminders_area_pattern_idx" ON "task_reminders" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "task_responses_household_idx" ON "task_responses" USING btree ("task_id","target_id","household_code");--> statement-breakpoint
CREATE UNIQUE INDEX "task_responses_client_idx" ON "task_responses" USING btree ("responder_id","client_id");--> statement-breakpoint
CREATE INDEX "task_responses_area_pattern_idx" ON "task_responses" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "task_targets_area_idx" ON "task_targets" USING btree ("task_id","target_kind","area_code");--> statement-breakpoint
CREATE INDEX "task_targets_area_pattern_idx" ON "task_targets" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_client_idx" ON "tasks" USING btree ("owner_id","client_id");--> statement-breakpoint
CREATE INDEX "tasks_area_pattern_idx" ON "tasks" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "tasks_dispatched_idx" ON "tasks" USING btree ("dispatched_at");--> statement-breakpoint
-- Scope as everywhere (0003, 0007, 0017, 0018), the scope read through a sub-select in the
-- policy itself (run once per statement). A task is visible both to those above its area (who
-- sent it or watch it) and to those inside it (who must answer it): its area lies within the
-- reader's scope, or the reader's scope lies within its area. Its targets, answers, reminders and
-- photos are visible where their cell or grid lies within the reader's scope. Department cadres
-- see the tasks their own department dispatched, and nothing of the others'. Lines are public
-- facts like the departments that own them. Writes run as the owner after the service checked
-- the caller.
GRANT SELECT ON task_lines, tasks, task_targets, task_responses, task_reminders, task_photos TO gcc_scoped;
--> statement-breakpoint
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tasks_in_scope ON tasks FOR SELECT TO gcc_scoped
  USING ((area_code ^@ (SELECT gcc_scope()) OR (SELECT gcc_scope()) ^@ area_code)
    AND ((SELECT gcc_department()) = '' OR department_code = (SELECT gcc_department())));
--> statement-breakpoint
ALTER TABLE task_targets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY task_targets_in_scope ON task_targets FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND ((SELECT gcc_department()) = '' OR department_code = (SELECT gcc_department())));
--> statement-breakpoint
ALTER TABLE task_responses ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY task_responses_in_scope ON task_responses FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND ((SELECT gcc_department()) = '' OR department_code = (SELECT gcc_department())));
--> statement-breakpoint
ALTER TABLE task_reminders ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY task_reminders_in_scope ON task_reminders FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND ((SELECT gcc_department()) = '' OR department_code = (SELECT gcc_department())));
--> statement-breakpoint
ALTER TABLE task_photos ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY task_photos_in_scope ON task_photos FOR SELECT TO gcc_scoped
  USING (area_code ^@ (SELECT gcc_scope()) AND ((SELECT gcc_department()) = '' OR department_code = (SELECT gcc_department())));
--> statement-breakpoint
-- The N task lines of the reference county (the source study names the first six), each with
-- the departments that own it (api/departments/county-departments.ts). The administrators add
-- and edit lines from here on.
INSERT INTO task_lines (code, name, department_codes) VALUES
  ('epidemic', '疫情防控', ARRAY['D04', 'D56', 'D58']::text[]),
  ('ecology', '生态环保', ARRAY['D06', 'D25']::text[]),
  ('emergency', '应急管理', ARRAY['D01', 'D36']::text[]),
  ('flood_drought', '防汛抗旱', ARRAY['D05', 'D35', 'D01']::text[]),
  ('production_safety', '安全生产', ARRAY['D01', 'D07', 'D22']::text[]),
  ('poverty_monitoring', '防止返贫监测', ARRAY['D26', 'D10']::text[]),
  ('rural_traffic', '农村交通安全', ARRAY['D17', 'D03']::text[]),
  ('civil_affairs', '民政服务', ARRAY['D08', 'D41']::text[])
ON CONFLICT (code) DO NOTHING;
