-- Special populations and their visits (issue 17): the registers, the dated state a rule reads,
-- the versioned follow-up rules, the visits from the field with their photos, and break-the-glass
-- grants. drizzle-kit wrote the tables; the default rules, grants and policies after the generated
-- statements are by hand. Both databases accept it (PostgreSQL 15, PGlite's Postgres 18).
CREATE TABLE "follow_up_rules" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"category" text NOT NULL,
	"effective_from" date NOT NULL,
	"rule" jsonb NOT NULL,
	"set_by_id" text,
	"set_by_name" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_up_rules_category_check" CHECK ("follow_up_rules"."category" IN ('severe_mental_illness', 'drug_rehabilitation', 'released_prisoner', 'community_correction', 'rental_house'))
);
--> statement-breakpoint
CREATE TABLE "special_access_grants" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"account_name" text NOT NULL,
	"account_scope" text NOT NULL,
	"area_code" text NOT NULL,
	"reason" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "special_access_grants_window_check" CHECK ("special_access_grants"."expires_at" > "special_access_grants"."granted_at")
);
--> statement-breakpoint
CREATE TABLE "special_people" (
	"id" text PRIMARY KEY NOT NULL,
	"category" text NOT NULL,
	"name" text NOT NULL,
	"id_number" text,
	"gender" text,
	"birth_date" date,
	"phone" text,
	"household_code" text NOT NULL,
	"area_code" text NOT NULL,
	"risk_level" smallint,
	"supervision_grade" text,
	"release_date" date,
	"programme_start" date,
	"landlord_name" text,
	"landlord_phone" text,
	"tenants" jsonb,
	"guardian_name" text,
	"guardian_phone" text,
	"notes" text,
	"registered_on" date NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"closed_on" date,
	"closed_reason" text,
	"last_visit_at" timestamp with time zone,
	"next_due_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synthetic" boolean DEFAULT true NOT NULL,
	CONSTRAINT "special_people_category_check" CHECK ("special_people"."category" IN ('severe_mental_illness', 'drug_rehabilitation', 'released_prisoner', 'community_correction', 'rental_house')),
	CONSTRAINT "special_people_risk_check" CHECK ("special_people"."risk_level" IS NULL OR "special_people"."risk_level" BETWEEN 0 AND 5),
	CONSTRAINT "special_people_grade_check" CHECK ("special_people"."supervision_grade" IS NULL OR "special_people"."supervision_grade" IN ('strict', 'normal', 'lenient')),
	CONSTRAINT "special_people_gender_check" CHECK ("special_people"."gender" IS NULL OR "special_people"."gender" IN ('male', 'female'))
);
--> statement-breakpoint
CREATE TABLE "special_person_states" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"area_code" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"risk_level" smallint,
	"supervision_grade" text,
	"reason" text,
	"set_by_id" text,
	"set_by_name" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "special_visit_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"visit_id" text NOT NULL,
	"area_code" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "special_visits" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"person_id" text NOT NULL,
	"category" text NOT NULL,
	"area_code" text NOT NULL,
	"visitor_id" text NOT NULL,
	"visitor_name" text NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"mode" text NOT NULL,
	"outcome" text NOT NULL,
	"notes" text,
	"location" geometry(Point,4326),
	"accuracy_m" double precision,
	"distance_m" double precision,
	"patrol_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synthetic" boolean DEFAULT false NOT NULL,
	CONSTRAINT "special_visits_category_check" CHECK ("special_visits"."category" IN ('severe_mental_illness', 'drug_rehabilitation', 'released_prisoner', 'community_correction', 'rental_house')),
	CONSTRAINT "special_visits_mode_check" CHECK ("special_visits"."mode" IN ('home', 'phone', 'video', 'elsewhere'))
);
--> statement-breakpoint
ALTER TABLE "special_person_states" ADD CONSTRAINT "special_person_states_person_id_special_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."special_people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_visit_photos" ADD CONSTRAINT "special_visit_photos_visit_id_special_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."special_visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "special_visits" ADD CONSTRAINT "special_visits_person_id_special_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."special_people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_rules_category_day_idx" ON "follow_up_rules" USING btree ("category","effective_from");--> statement-breakpoint
CREATE INDEX "special_access_grants_account_idx" ON "special_access_grants" USING btree ("account_id","expires_at");--> statement-breakpoint
CREATE INDEX "special_access_grants_scope_pattern_idx" ON "special_access_grants" USING btree ("account_scope" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "special_people_area_pattern_idx" ON "special_people" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "special_people_household_idx" ON "special_people" USING btree ("household_code");--> statement-breakpoint
CREATE INDEX "special_people_due_idx" ON "special_people" USING btree ("next_due_on") WHERE "special_people"."active";--> statement-breakpoint
CREATE INDEX "special_person_states_person_idx" ON "special_person_states" USING btree ("person_id","effective_from");--> statement-breakpoint
CREATE INDEX "special_person_states_area_pattern_idx" ON "special_person_states" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "special_visit_photos_visit_idx" ON "special_visit_photos" USING btree ("visit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "special_visits_client_idx" ON "special_visits" USING btree ("visitor_id","client_id");--> statement-breakpoint
CREATE INDEX "special_visits_person_idx" ON "special_visits" USING btree ("person_id","visited_at");--> statement-breakpoint
CREATE INDEX "special_visits_area_pattern_idx" ON "special_visits" USING btree ("area_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "special_visits_visited_idx" ON "special_visits" USING btree ("visited_at");
--> statement-breakpoint
-- The defaults seen in public rules (DESIGN.md "Special populations"), in force from before any
-- visit; changed at the rules route as new rows. Intervals in days; the shapes are parsed by
-- api/vocabulary/special-populations.ts.
INSERT INTO follow_up_rules (category, effective_from, rule, set_by_name) VALUES
  ('severe_mental_illness', '2000-01-01', '{"byRisk":[{"min":3,"max":5,"intervalDays":7},{"min":0,"max":2,"intervalDays":30}]}', 'default'),
  ('drug_rehabilitation', '2000-01-01', '{"byProgrammeYear":[{"year":1,"intervalDays":30},{"year":2,"intervalDays":60},{"year":3,"intervalDays":90}],"programmeYears":3}', 'default'),
  ('released_prisoner', '2000-01-01', '{"firstWithinDays":7,"intervalDays":90,"assistanceYears":5}', 'default'),
  ('community_correction', '2000-01-01', '{"byGrade":{"strict":7,"normal":15,"lenient":30}}', 'default'),
  ('rental_house', '2000-01-01', '{"intervalDays":90}', 'default');
--> statement-breakpoint
-- Scope as everywhere (0003, 0007, 0010): an entry, its states, visits and photos are visible where
-- their cell lies inside the reader's scope, and to the holder of a live break-the-glass grant
-- whose area holds the cell. Department cadres see none of it. Which fields of a visible entry a
-- reader gets is the service's cut by role. Writes run as the owner after the service checked the
-- caller. A grant is visible to its holder and, for the audit page, inside its holder's scope.
CREATE FUNCTION gcc_special_reach(cell text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT (SELECT gcc_department()) = '' AND (
    cell ^@ (SELECT gcc_scope())
    OR EXISTS (
      SELECT 1 FROM special_access_grants g
      WHERE g.account_id = (SELECT gcc_account()) AND g.revoked_at IS NULL AND g.expires_at > now()
        AND cell ^@ g.area_code
    )
  )
$$;
--> statement-breakpoint
GRANT SELECT ON special_people, special_person_states, follow_up_rules, special_visits, special_visit_photos, special_access_grants TO gcc_scoped;
--> statement-breakpoint
ALTER TABLE special_people ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY special_people_in_reach ON special_people FOR SELECT TO gcc_scoped USING (gcc_special_reach(area_code));
--> statement-breakpoint
ALTER TABLE special_person_states ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY special_person_states_in_reach ON special_person_states FOR SELECT TO gcc_scoped USING (gcc_special_reach(area_code));
--> statement-breakpoint
ALTER TABLE special_visits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY special_visits_in_reach ON special_visits FOR SELECT TO gcc_scoped USING (gcc_special_reach(area_code));
--> statement-breakpoint
ALTER TABLE special_visit_photos ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY special_visit_photos_in_reach ON special_visit_photos FOR SELECT TO gcc_scoped USING (gcc_special_reach(area_code));
--> statement-breakpoint
ALTER TABLE special_access_grants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY special_access_grants_visible ON special_access_grants FOR SELECT TO gcc_scoped
  USING (account_id = (SELECT gcc_account()) OR account_scope ^@ (SELECT gcc_scope()));
