-- A patrol batch looks up the cells within 50 m of each stretch walked: through the index of every
-- level it also visited the grid's, village's, township's and county's rows (a batch of 500 fixes:
-- 79 ms in that lookup; through the cells' own index, 30 ms).
CREATE INDEX "areas_cell_geom_idx" ON "areas" USING gist ("geom") WHERE "areas"."level" = 'cell';
