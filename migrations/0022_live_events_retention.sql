CREATE INDEX "live_events_at_idx" ON "live_events" USING btree ("at");--> statement-breakpoint
-- The live log stays append-only (0005) but is not kept forever: the server's sweep deletes the
-- events older than LIVE_RETENTION_DAYS, in batches (api/live/retention.ts). An update is still
-- refused; a delete only in a transaction that names itself that sweep (the setting
-- gcc.retention). Only the owner may delete at all: gcc_scoped may read the log, nothing more.
DROP TRIGGER live_events_no_change ON live_events;
--> statement-breakpoint
CREATE TRIGGER live_events_no_change BEFORE UPDATE ON live_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER live_events_no_delete BEFORE DELETE ON live_events
  FOR EACH ROW WHEN (current_setting('gcc.retention', true) IS DISTINCT FROM 'live_events') EXECUTE FUNCTION refuse_change();
