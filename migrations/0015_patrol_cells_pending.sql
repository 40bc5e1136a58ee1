-- A batch of fixes no longer derives the cells walked in its own transaction (a third of its time
-- in the database, and a plan of its own each time): it marks the patrol, and a settler derives
-- every marked patrol's cells together after the commit (api/patrols/service.ts, settleCells).
ALTER TABLE "patrols" ADD COLUMN "cells_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "patrols" ADD COLUMN "cells_stamp" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "patrols_cells_pending_idx" ON "patrols" USING btree ("cells_from") WHERE "patrols"."cells_from" IS NOT NULL;