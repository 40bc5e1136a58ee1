import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.ts';
import type { areaTileGeometries, datasetMeta } from '../db/schema.ts';

/** One fact of the loaded data set, as `dataset_meta` holds it. */
type DatasetFact = Pick<typeof datasetMeta.$inferSelect, 'value'>;

import type { TileFeature, TilePropertyValue } from './encode.ts';
import {
  bandForZoom,
  bandTolerance,
  HOUSEHOLD_DETAIL_ZOOM,
  HOUSEHOLD_MERGE_UNITS,
  metresPerTileUnit,
  TILE_BUFFER,
  TILE_EXTENT,
  TILE_LAYERS,
  type TileLayer,
  tileBounds,
  ZOOM_BANDS,
} from './layers.ts';
import { readTwkbMembers } from './twkb.ts';

/**
 * PGlite's PostGIS turns a GEOS exception into an empty result rather than an error; an
 * empty tile cached for that reason would hide part of the map, so the cut is aggregated
 * into one row that must come back, and its absence is an error.
 */
class TileCutFailedError extends Error {
  constructor(layer: string, z: number, x: number, y: number) {
    super(`cutting tile ${layer}/${z}/${x}/${y} returned no result (a geometry operation failed inside PostGIS)`);
    this.name = 'TileCutFailedError';
  }
}

/** The properties every area feature carries, read beside its outline (see area_tile_geometries). */
const areaProperties = sql`g.code, g.name, g.level, g.kind, g.population, g.households, g.urban`;

/**
 * The households of a tile with their properties and Web Mercator point `geom`: one row per
 * household from HOUSEHOLD_DETAIL_ZOOM on; below it, the zoom's household clusters (the
 * households of a cell within a few tile units of each other, merged into one point).
 */
function householdRows(z: number, within: SQL): SQL {
  if (z >= HOUSEHOLD_DETAIL_ZOOM) {
    return sql`
      SELECT h.code, h.address AS name, h.residents, h.cell_code, 1 AS count, h.geom_3857 AS geom
      FROM households h WHERE h.geom_3857 && ${within}`;
  }
  return sql`
    SELECT c.code, c.households || '户' AS name, c.residents, c.cell_code, c.households AS count, c.geom_3857 AS geom
    FROM household_clusters c WHERE c.zoom = ${z}::smallint AND c.geom_3857 && ${within}`;
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
      FROM area_tile_geometries g
      WHERE g.level = ${layer.level} AND g.band = ${bandForZoom(z)}::smallint AND g.geom && ${margin}
    ) tile WHERE tile.geom IS NOT NULL`;
}

/**
 * The same cut done in portable SQL, for the embedded database: clip to the buffered tile,
 * scale into tile units with the y axis flipped, snap to whole units, repair, and orient
 * rings so exterior rings have positive area in tile coordinates. The tile comes back as one
 * row: the outlines as one TWKB collection (whole tile units, numbered 1…n) and their codes,
 * comma-separated in the same order (the other properties come from AreaDirectory: building
 * them as JSON here cost about a tenth of the cut); households as a JSON array of their
 * properties and tile coordinates. Encoding happens in JS.
 */
function featuresQuery(layer: TileLayer, z: number, x: number, y: number): SQL {
  const [xmin, ymin, xmax, ymax] = tileBounds(z, x, y);
  const scale = TILE_EXTENT / (xmax - xmin);
  const buffer = TILE_BUFFER / scale;
  const clip = sql`ST_MakeEnvelope(${xmin - buffer}::float8, ${ymin - buffer}::float8, ${xmax + buffer}::float8, ${ymax + buffer}::float8, 3857)`;
  if (layer.geometry === 'point') {
    const tileX = sql`round((ST_X(h.geom) - ${xmin}::float8) * ${scale}::float8)::int`;
    const tileY = sql`round((${ymax}::float8 - ST_Y(h.geom)) * ${scale}::float8)::int`;
    return sql`
      SELECT count(*)::int AS count, NULL::bytea AS geometries, NULL::text AS codes,
             json_agg(json_build_array(h.code, h.name, h.residents, h.cell_code, h.count, ${tileX}, ${tileY})) AS properties
      FROM (${householdRows(z, clip)}) h`;
  }
  const toTile = (geom: SQL) =>
    sql`ST_Affine(${geom}, ${scale}::float8, 0, 0, ${-scale}::float8, ${-xmin * scale}::float8, ${ymax * scale}::float8)`;
  // OFFSET 0 keeps the cut in its own subquery, computed once per outline: without it the planner
  // pulls the subquery up, pushes the emptiness test into the scan, and cuts every outline twice.
  return sql`
    SELECT count(*)::int AS count, ST_AsTWKB(array_agg(f.geom), array_agg(f.n)) AS geometries,
           string_agg(f.code, ',') AS codes, NULL::json AS properties
    FROM (
      SELECT cut.*, row_number() OVER () AS n FROM (
        SELECT g.code, ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(
                 ST_SnapToGrid(${toTile(sql`ST_ClipByBox2D(g.geom, ${clip})`)}, 1)), 3)) AS geom
        FROM area_tile_geometries g
        WHERE g.level = ${layer.level} AND g.band = ${bandForZoom(z)}::smallint AND g.geom && ${clip}
        OFFSET 0
      ) cut WHERE NOT ST_IsEmpty(cut.geom)
    ) f`;
}

/** The properties an area feature carries besides its code and level (as ST_AsMVT reads them, see areaProperties). */
/** What an area outline's tile feature carries besides its code: copied into `area_tile_geometries`. */
export type AreaTileProperties = Pick<
  typeof areaTileGeometries.$inferSelect,
  'name' | 'kind' | 'population' | 'households' | 'urban'
>;

/**
 * The properties of every area outline, by code, read once (as the owner, from the tile-ready
 * outlines) and again only when a tile names a code it does not know, as after boundaries are
 * imported. A tile cut on the embedded database returns codes only: the viewer's scope has
 * already decided which areas it holds, and this only adds what each one is called and counts.
 */
export function areaDirectory(db: Queryable) {
  let loading: Promise<Map<string, AreaTileProperties>> | null = null;
  const load = () => {
    const current = db
      .rows<AreaTileProperties & { code: string }>(sql`
        SELECT code, name, kind, population, households, urban
        FROM area_tile_geometries WHERE band = ${ZOOM_BANDS[0]}::smallint`)
      .then((rows) => new Map(rows.map(({ code, ...properties }) => [code, properties])));
    loading = current;
    // A failed read is not kept: the next tile tries again.
    current.catch(() => {
      if (loading === current) loading = null;
    });
    return current;
  };
  return {
    async lookup(codes: readonly string[]): Promise<AreaTileProperties[]> {
      let byCode = await (loading ?? load());
      if (codes.some((code) => !byCode.has(code))) byCode = await load();
      return codes.map((code) => {
        const properties = byCode.get(code);
        if (!properties) throw new Error(`area ${code} is in a tile but has no tile-ready outline properties`);
        return properties;
      });
    },
  };
}

export type AreaDirectory = ReturnType<typeof areaDirectory>;

/**
 * Pairs the TWKB members with their codes (same order, numbered 1…n) and the directory's
 * properties into tile features; `level` is the layer's, the same for every feature.
 */
async function areaFeatures(
  tile: string,
  level: string,
  twkb: Uint8Array | null,
  codes: string[],
  directory: AreaDirectory,
): Promise<TileFeature[]> {
  const members = readTwkbMembers(twkb);
  if (members.length !== codes.length) {
    throw new Error(`tile ${tile}: ${members.length} outlines for ${codes.length} features`);
  }
  const properties = await directory.lookup(codes);
  return members.map(({ id, geometry }, index) => {
    if (id !== index + 1 || geometry.type !== 'Polygon') {
      throw new Error(`tile ${tile}: outline ${id} (${geometry.type}) does not match feature ${index + 1}`);
    }
    const { name, kind, population, households, urban } = properties[index] as AreaTileProperties;
    return { properties: { code: codes[index] as string, name, level, kind, population, households, urban }, geometry };
  });
}

function householdFeatures(properties: TilePropertyValue[][]): TileFeature[] {
  return properties.map(([code, name, residents, cellCode, count, x, y]) => ({
    properties: { code, name, residents, cell_code: cellCode, count } as TileFeature['properties'],
    geometry: { type: 'Point', x: x as number, y: y as number },
  }));
}

/**
 * Tile reads. `db` is the viewer's scoped handle, so row-level security cuts every layer to
 * their scope; `engine` picks the encoder (PGlite's PostGIS has no ST_AsMVT). `directory` gives
 * the embedded database's cut its area properties: one shared by every viewer (areaDirectory
 * over the owner) keeps them read once.
 */
export function tilesRepository(db: Queryable, directory: AreaDirectory = areaDirectory(db)) {
  return {
    /**
     * The encoded tile from ST_AsMVT (PostgreSQL only), as bytes straight from the database
     * where the handle can (a scoped handle: binary COPY), else through a row. Empty when no
     * feature touches the tile.
     */
    async mvt(layer: TileLayer, z: number, x: number, y: number): Promise<Uint8Array> {
      const query = mvtQuery(layer, z, x, y);
      if (db.bytes) return (await db.bytes(query)) ?? new Uint8Array();
      const [row] = await db.rows<{ mvt: Uint8Array | null }>(query);
      return row?.mvt ?? new Uint8Array();
    },

    /** The tile's features in tile units, for the JS encoder. */
    async features(layer: TileLayer, z: number, x: number, y: number): Promise<TileFeature[]> {
      const [result] = await db.rows<{
        count: number;
        geometries: Uint8Array | null;
        codes: string | null;
        properties: TilePropertyValue[][] | null;
      }>(featuresQuery(layer, z, x, y));
      if (!result) throw new TileCutFailedError(layer.name, z, x, y);
      if (layer.geometry === 'point') return householdFeatures(result.properties ?? []);
      const codes = result.codes ? result.codes.split(',') : [];
      return areaFeatures(`${layer.name}/${z}/${x}/${y}`, layer.level ?? layer.name, result.geometries, codes, directory);
    },

    /** A token that changes whenever the data behind the tiles changes; part of every ETag. */
    async dataVersion(): Promise<string> {
      const [row] = await db.rows<DatasetFact>(sql`SELECT value FROM dataset_meta WHERE key = 'tiles_version'`);
      return row?.value ?? 'empty';
    },
  };
}

/**
 * The shape of the tile-ready data below (outline properties beside each band's outline,
 * household clusters). A data set prepared under an older shape is prepared again at start.
 */
const TILE_DATA_FORMAT = '2';

/**
 * Rebuilds the tile-ready copies of the data, inside the caller's transaction: every area
 * outline per zoom band in Web Mercator with the properties tiles carry, and the household
 * clusters of the merged zooms. Run after a seed or an import of real boundaries.
 */
export async function rebuildTileData(tx: { rows<Row>(query: SQL): Promise<Row[]> }): Promise<void> {
  await tx.rows(sql`DELETE FROM area_tile_geometries`);
  for (const band of ZOOM_BANDS) {
    const tolerance = bandTolerance(band);
    const projected = sql`ST_Transform(geom, 3857)`;
    const simplified = tolerance > 0 ? sql`ST_SimplifyPreserveTopology(${projected}, ${tolerance}::float8)` : projected;
    await tx.rows(sql`
      INSERT INTO area_tile_geometries (code, level, band, name, kind, population, households, urban, geom)
      SELECT code, level, ${band}::smallint, name, kind, population, households, urban,
             ST_Multi(ST_CollectionExtract(ST_MakeValid(${simplified}), 3))
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
  await tx.rows(sql`DELETE FROM household_clusters`);
  const householdLayer = TILE_LAYERS.household as TileLayer;
  for (let zoom = householdLayer.minzoom; zoom < HOUSEHOLD_DETAIL_ZOOM; zoom++) {
    const size = metresPerTileUnit(zoom) * HOUSEHOLD_MERGE_UNITS;
    await tx.rows(sql`
      INSERT INTO household_clusters (zoom, cell_code, code, households, residents, geom_3857)
      SELECT ${zoom}::smallint, h.cell_code, min(h.code), count(*)::int, sum(h.residents)::int,
             ST_SetSRID(ST_MakePoint(avg(ST_X(h.geom_3857)), avg(ST_Y(h.geom_3857))), 3857)
      FROM households h
      GROUP BY h.cell_code, floor(ST_X(h.geom_3857) / ${size}::float8), floor(ST_Y(h.geom_3857) / ${size}::float8)`);
  }
  await setMeta(tx, 'tiles_version', Date.now().toString(36));
  await setMeta(tx, 'tile_data_format', TILE_DATA_FORMAT);
}

async function setMeta(tx: { rows<Row>(query: SQL): Promise<Row[]> }, key: string, value: string): Promise<void> {
  await tx.rows(sql`
    INSERT INTO dataset_meta (key, value, updated_at) VALUES (${key}, ${value}, now())
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
}

/** True when the tile-ready data was prepared under the current TILE_DATA_FORMAT. */
export async function tileDataCurrent(db: { rows<Row>(query: SQL): Promise<Row[]> }): Promise<boolean> {
  const [row] = await db.rows<DatasetFact>(sql`SELECT value FROM dataset_meta WHERE key = 'tile_data_format'`);
  return row?.value === TILE_DATA_FORMAT;
}
