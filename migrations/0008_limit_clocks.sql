-- Each time limit names its clock: natural time (自然时间: every hour counts, nights, weekends
-- and holidays included) or working time (工作时间: office hours on working days). The units
-- lose their working-time names, since the clock now says it: work_hours → hours,
-- work_days → days; minutes stay minutes.
--
-- The rows already there take the clock of the default rule (`defaultClockOf` in
-- api/cases/default-time-limits.ts): urgent rows and the geohazard types (landslide, rockfall,
-- ground_crack, flood) run on natural time, the rest on working time. Their amounts stay. The
-- geohazard rows the defaults gained with this change are written at start by
-- `ensureDefaultTimeLimits`, which adds missing rows and leaves existing ones alone.
ALTER TABLE "time_limits" ADD COLUMN "clock" text;--> statement-breakpoint
UPDATE "time_limits" SET
  "clock" = CASE
    WHEN "urgency" = 'urgent' OR "type" IN ('landslide', 'rockfall', 'ground_crack', 'flood') THEN 'natural'
    ELSE 'working'
  END,
  "unit" = CASE "unit" WHEN 'work_hours' THEN 'hours' WHEN 'work_days' THEN 'days' ELSE "unit" END;--> statement-breakpoint
ALTER TABLE "time_limits" ALTER COLUMN "clock" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "time_limits" ADD CONSTRAINT "time_limits_unit_check" CHECK ("time_limits"."unit" IN ('minutes', 'hours', 'days'));--> statement-breakpoint
ALTER TABLE "time_limits" ADD CONSTRAINT "time_limits_clock_check" CHECK ("time_limits"."clock" IN ('natural', 'working'));--> statement-breakpoint
-- A case stores the clock its running limit counts on. Cases keep the deadline they were given:
-- their clock is the one that deadline was counted on (minutes on the wall clock, working hours
-- and days in office time), so their light does not jump at the upgrade; the next stage, or an
-- escalation, starts a clock under the new rows. Extensions waiting for approval were asked in
-- working hours or days: renamed like the units.
ALTER TABLE "reports" ADD COLUMN "limit_clock" text;--> statement-breakpoint
UPDATE "reports" SET
  "limit_clock" = CASE WHEN "limit_unit" = 'minutes' THEN 'natural' ELSE 'working' END,
  "limit_unit" = CASE "limit_unit" WHEN 'work_hours' THEN 'hours' WHEN 'work_days' THEN 'days' ELSE "limit_unit" END
WHERE "limit_unit" IS NOT NULL;--> statement-breakpoint
UPDATE "reports" SET
  "pending_request" = jsonb_set(
    "pending_request",
    '{unit}',
    to_jsonb((CASE "pending_request"->>'unit' WHEN 'work_days' THEN 'days' ELSE 'hours' END)::text)
  )
WHERE "pending_request"->>'unit' IN ('work_hours', 'work_days');--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_limit_unit_check" CHECK ("reports"."limit_unit" IN ('minutes', 'hours', 'days'));--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_limit_clock_check" CHECK ("reports"."limit_clock" IN ('natural', 'working'));
