-- Reports, their timeline, photos and alerts are cut to the account's scope by the cell (or
-- cell/grid for alerts) they concern, as areas are in 0003. The live event log and the case
-- timeline are append-only, like the audit log.
GRANT SELECT, INSERT, UPDATE ON reports TO gcc_scoped;
--> statement-breakpoint
GRANT SELECT, INSERT ON report_photos, case_steps TO gcc_scoped;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE case_steps_id_seq TO gcc_scoped;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON report_alerts TO gcc_scoped;
--> statement-breakpoint
GRANT SELECT ON time_limits, live_events TO gcc_scoped;
--> statement-breakpoint
ALTER TABLE reports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY reports_in_scope ON reports FOR ALL TO gcc_scoped
  USING (cell_code LIKE gcc_scope() || '%')
  WITH CHECK (cell_code LIKE gcc_scope() || '%');
--> statement-breakpoint
ALTER TABLE report_photos ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_photos_in_scope ON report_photos FOR ALL TO gcc_scoped
  USING (cell_code LIKE gcc_scope() || '%')
  WITH CHECK (cell_code LIKE gcc_scope() || '%');
--> statement-breakpoint
ALTER TABLE case_steps ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY case_steps_in_scope ON case_steps FOR ALL TO gcc_scoped
  USING (cell_code LIKE gcc_scope() || '%')
  WITH CHECK (cell_code LIKE gcc_scope() || '%');
--> statement-breakpoint
ALTER TABLE report_alerts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_alerts_in_scope ON report_alerts FOR ALL TO gcc_scoped
  USING (area_code LIKE gcc_scope() || '%')
  WITH CHECK (area_code LIKE gcc_scope() || '%');
--> statement-breakpoint
ALTER TABLE live_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY live_events_in_scope ON live_events FOR SELECT TO gcc_scoped
  USING (scope_code LIKE gcc_scope() || '%');
--> statement-breakpoint
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$;
--> statement-breakpoint
CREATE TRIGGER case_steps_no_change BEFORE UPDATE OR DELETE ON case_steps
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER live_events_no_change BEFORE UPDATE OR DELETE ON live_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
-- Every process listening on gcc_live learns of a new event at once; the payload is only the
-- id, and each process reads the rows after the last id it has seen (so none is missed).
CREATE FUNCTION live_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gcc_live', NEW.id::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER live_events_notify AFTER INSERT ON live_events
  FOR EACH ROW EXECUTE FUNCTION live_events_notify();
