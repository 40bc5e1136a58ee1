import { type SQL, sql } from 'drizzle-orm';
import type { MultiPolygon, Point, Polygon } from 'geojson';
import type { Queryable } from '../db/client.ts';
import {
  bandForZoom,
  bandTolerance,
  HOUSEHOLD_DETAIL_ZOOM,
  HOUSEHOLD_MERGE_UNITS,
  metresPerTileUnit,
  TILE_BUFFER,
  TILE_EXTENT,
  type TileLayer,
  tileBounds,
  ZOOM_BANDS,
} from './layers.ts';

/** A feature cut and scaled into tile units, y down, exterior rings clockwise on screen (as MVT wants). */
export interface TileFeatureRow {
  properties: Record<string, string | number | boolean>;
  /** The geometry in tile units. */
  geometry: Point | Polygon | MultiPolygon;
}

/**
 * PGlite's PostGIS turns a GEOS exception into an empty result rather than an error; an
 * empty tile cached for that reason would hide part of the map, so the cut is aggregated
 * into one row that must come back, and its absence is an error.
 */
export class TileCutFailedError extends Error {
  constructor(layer: string, z: number, x: number, y: number) {
    super(`cutting tile ${layer}/${z}/${x}/${y} returned no result (a geometry operation failed inside PostGIS)`);
    this.name = 'TileCutFailedError';
  }
}

const areaProperties = sql`a.code, a.name, a.level, a.kind, a.population, a.households, a.urban`;
/**
 * The households of a tile with their properties and a Web Mercator point `geom`: one row per
 * household from HOUSEHOLD_DETAIL_ZOOM on, merged on a grid of a few tile units below it.
 */
function householdRows(z: number, within: SQL): SQL {
  if (z >= HOUSEHOLD_DETAIL_ZOOM) {
    return sql`
      SELECT h.code, h.address AS name, h.residents, h.cell_code, 1 AS count, h.geom_3857 AS geom
      FROM households h WHERE h.geom_3857 && ${within}`;
  }
  const grid = metresPerTileUnit(z) * HOUSEHOLD_MERGE_UNITS;
  return sql`
    SELECT min(h.code) AS code, count(*)::int || '户' AS name, sum(h.residents)::int AS residents, min(h.cell_code) AS cell_code,
           count(*)::int AS count, ST_Centroid(ST_Collect(h.geom_3857)) AS geom
    FROM households h WHERE h.geom_3857 && ${within}
    GROUP BY ST_SnapToGrid(h.geom_3857, ${grid}::float8)`;
}

/**
 * The SQL of a tile as PostGIS's own encoder makes it (PostgreSQL only: PGlite's PostGIS
 * has no ST_AsMVT). Exported so the benchmark can run the very same statement raw.
 */
export function mvtQuery(layer: TileLayer, z: number, x: number, y: number): SQL {
  const envelope = sql`ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int)`;
  const margin = sql`ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${TILE_BUFFER / TILE_EXTENT}::float8)`;
  if (layer.geometry === 'point') {
    return sql`
      SELECT ST_AsMVT(tile, ${layer.name}::text, ${TILE_EXTENT}::int, 'geom') AS mvt FROM (
        SELECT h.code, h.name, h.residents, h.cell_code, h.count,
               ST_AsMVTGeom(h.geom, ${envelope}, ${TILE_EXTENT}::int, ${TILE_BUFFER}::int, true) AS geom
        FROM (${householdRows(z, margin)}) h
      ) tile WHERE tile.geom IS NOT NULL`;
  }
  return sql`
    SELECT ST_AsMVT(tile, ${layer.name}::text, ${TILE_EXTENT}::int, 'geom') AS mvt FROM (
      SELECT ${areaProperties}, ST_AsMVTGeom(g.geom, ${envelope}, ${TILE_EXTENT}::int, ${TILE_BUFFER}::int, true) AS geom
      FROM area_tile_geometries g JOIN areas a ON a.code = g.code
      WHERE g.level = ${layer.level} AND g.band = ${bandForZoom(z)}::smallint AND g.geom && ${margin}
    ) tile WHERE tile.geom IS NOT NULL`;
}

/**
 * The same cut done in portable SQL, for the embedded database: clip to the buffered tile,
 * scale into tile units with the y axis flipped, snap to whole units, repair, and orient
 * rings so exterior rings have positive area in tile coordinates. Encoding happens in JS.
 */
function featuresQuery(layer: TileLayer, z: number, x: number, y: number): SQL {
  const [xmin, ymin, xmax, ymax] = tileBounds(z, x, y);
  const scale = TILE_EXTENT / (xmax - xmin);
  const buffer = TILE_BUFFER / scale;
  const clip = sql`ST_MakeEnvelope(${xmin - buffer}::float8, ${ymin - buffer}::float8, ${xmax + buffer}::float8, ${ymax + buffer}::float8, 3857)`;
  const toTile = (geom: SQL) =>
    sql`ST_Affine(${geom}, ${scale}::float8, 0, 0, ${-scale}::float8, ${-xmin * scale}::float8, ${ymax * scale}::float8)`;
  const features =
    layer.geometry === 'point'
      ? sql`
        SELECT h.code, h.name, h.residents, h.cell_code, h.count, ST_AsGeoJSON(ST_SnapToGrid(${toTile(sql`h.geom`)}, 1), 0)::json AS geometry
        FROM (${householdRows(z, clip)}) h`
      : sql`
        SELECT ${areaProperties}, ST_AsGeoJSON(t.geom, 0)::json AS geometry FROM (
          SELECT g.code, ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(
                   ST_SnapToGrid(${toTile(sql`ST_ClipByBox2D(g.geom, ${clip})`)}, 1)), 3)) AS geom
          FROM area_tile_geometries g
          WHERE g.level = ${layer.level} AND g.band = ${bandForZoom(z)}::smallint AND g.geom && ${clip}
        ) t JOIN areas a ON a.code = t.code
        WHERE NOT ST_IsEmpty(t.geom)`;
  return sql`SELECT count(*)::int AS count, json_agg(f) AS features FROM (${features}) f`;
}

/**
 * Tile reads. `db` is the viewer's scoped handle, so row-level security cuts every layer to
 * their scope; `engine` picks the encoder (PGlite's PostGIS has no ST_AsMVT).
 */
export function tilesRepository(db: Queryable) {
  return {
    /** The encoded tile from ST_AsMVT (PostgreSQL only). Empty when no feature touches the tile. */
    async mvt(layer: TileLayer, z: number, x: number, y: number): Promise<Uint8Array> {
      const [row] = await db.rows<{ mvt: Uint8Array | null }>(mvtQuery(layer, z, x, y));
      return row?.mvt ?? new Uint8Array();
    },

    /** The tile's features in tile units, for the JS encoder. */
    async features(layer: TileLayer, z: number, x: number, y: number): Promise<TileFeatureRow[]> {
      type Row = Record<string, string | number | boolean> & { geometry: TileFeatureRow['geometry'] };
      const [result] = await db.rows<{ count: number; features: Row[] | null }>(featuresQuery(layer, z, x, y));
      if (!result) throw new TileCutFailedError(layer.name, z, x, y);
      return (result.features ?? []).map(({ geometry, ...properties }) => ({ geometry, properties }));
    },

    /** A token that changes whenever the data behind the tiles changes; part of every ETag. */
    async dataVersion(): Promise<string> {
      const [row] = await db.rows<{ value: string }>(sql`SELECT value FROM dataset_meta WHERE key = 'tiles_version'`);
      return row?.value ?? 'empty';
    },
  };
}

/**
 * Rebuilds the per-band, Web Mercator copies of every area outline from `areas`, inside the
 * caller's transaction. Run after a seed or an import of real boundaries.
 */
export async function rebuildTileGeometries(tx: { rows<Row>(query: SQL): Promise<Row[]> }): Promise<void> {
  await tx.rows(sql`DELETE FROM area_tile_geometries`);
  for (const band of ZOOM_BANDS) {
    const tolerance = bandTolerance(band);
    const projected = sql`ST_Transform(geom, 3857)`;
    const simplified = tolerance > 0 ? sql`ST_SimplifyPreserveTopology(${projected}, ${tolerance}::float8)` : projected;
    await tx.rows(sql`
      INSERT INTO area_tile_geometries (code, level, band, geom)
      SELECT code, level, ${band}::smallint, ST_Multi(ST_CollectionExtract(ST_MakeValid(${simplified}), 3))
      FROM areas WHERE level <> 'county'`);
  }
  const [counts] = await tx.rows<{ areas: number; prepared: number }>(sql`
    SELECT (SELECT count(*)::int FROM areas WHERE level <> 'county') * ${ZOOM_BANDS.length}::int AS areas,
           (SELECT count(*)::int FROM area_tile_geometries) AS prepared`);
  if (!counts || counts.areas !== counts.prepared) {
    throw new Error(
      `preparing tile geometries wrote ${counts?.prepared} rows for ${counts?.areas} area-bands: a geometry failed in PostGIS`,
    );
  }
  await tx.rows(sql`
    INSERT INTO dataset_meta (key, value, updated_at) VALUES ('tiles_version', ${Date.now().toString(36)}, now())
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
}
