import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTileData } from '../../api/seed/service.ts';
import { encodeTile } from '../../api/tiles/encode.ts';
import { TILE_LAYERS } from '../../api/tiles/layers.ts';
import { tileDataCurrent, tilesRepository } from '../../api/tiles/repository.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';
import { decodeTile, layerFeatures, ringArea, tileOf } from './support/tiles.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];
let app: App;
let db: Awaited<ReturnType<typeof testApp>>['db'];
let wangping: { lng: number; lat: number };
let household: { code: string; cellCode: string; lng: number; lat: number };
let browser: TestBrowser;

beforeAll(async () => {
  ({ app, db } = await testApp());
  browser = await signedInBrowser(app, 't-county');
  const [village] = await db.rows<{ lng: number; lat: number }>(
    sql`SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE code = '511921108209'`,
  );
  const [home] = await db.rows<typeof household>(
    sql`SELECT code, cell_code AS "cellCode", ST_X(geom) AS lng, ST_Y(geom) AS lat FROM households WHERE cell_code LIKE '511921108209%' ORDER BY code LIMIT 1`,
  );
  if (!village || !home) throw new Error('seeded county lacks 王坪村 or its households');
  wangping = village;
  household = home;
});

async function getTile(layer: string, address: { z: number; x: number; y: number }, headers: Record<string, string> = {}) {
  return browser.get(`/tiles/${layer}/${address.z}/${address.x}/${address.y}.mvt`, headers);
}

describe('TileJSON', () => {
  it.each(Object.keys(TILE_LAYERS))('describes the %s layer as TileJSON 3.0.0', async (layer) => {
    const response = await browser.get(`/tiles/${layer}.json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.tilejson).toBe('3.0.0');
    expect(document.tiles).toHaveLength(1);
    expect(document.tiles[0]).toMatch(new RegExp(`^http://localhost/tiles/${layer}/\\{z\\}/\\{x\\}/\\{y\\}\\.mvt`));
    expect(document.minzoom).toBe(TILE_LAYERS[layer]!.minzoom);
    expect(document.maxzoom).toBeGreaterThanOrEqual(document.minzoom);
    const [west, south, east, north] = document.bounds;
    expect(west).toBeGreaterThan(106.5);
    expect(east).toBeLessThan(108);
    expect(south).toBeGreaterThan(31.3);
    expect(north).toBeLessThan(32.6);
    expect(west).toBeLessThan(east);
    expect(document.vector_layers).toEqual([
      expect.objectContaining({ id: layer, fields: expect.objectContaining({ code: 'String', name: 'String' }) }),
    ]);
  });

  it('answers 404 with a clear body for an unknown layer', async () => {
    const response = await browser.get('/tiles/roads.json');
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('unknown_tile_layer');
  });
});

describe('vector tiles', () => {
  it('holds every township at county zoom, with code and name', async () => {
    // The county straddles tile edges at z7: take every tile over its bounds.
    const [northWest, southEast] = [tileOf(106.9, 32.6, 7), tileOf(107.8, 31.3, 7)];
    const features = [];
    for (let x = northWest.x; x <= southEast.x; x++) {
      for (let y = northWest.y; y <= southEast.y; y++) {
        const response = await getTile('township', { z: 7, x, y });
        if (response.status === 204) continue;
        expect(response.status).toBe(200);
        expect(response.headers.get('Content-Type')).toBe('application/vnd.mapbox-vector-tile');
        features.push(...layerFeatures(decodeTile(await response.arrayBuffer()), 'township', { z: 7, x, y }));
      }
    }
    const codes = new Set(features.map((feature) => feature.properties.code));
    expect([...codes].sort()).toEqual(['511921001', '511921100', '511921108', '511921112']);
    expect(features.find((feature) => feature.properties.code === '511921108')?.properties.name).toBe('沙溪镇');
  });

  it.each([8, 10, 12, 14])('cuts cells at z%i around 王坪村 with valid MVT polygons', async (z) => {
    const address = tileOf(wangping.lng, wangping.lat, z);
    const response = await getTile('cell', address);
    expect(response.status).toBe(200);
    const tile = decodeTile(await response.arrayBuffer());
    const layer = tile.layers.cell!;
    expect(layer.extent).toBe(4096);
    const features = Array.from({ length: layer.length }, (_, index) => layer.feature(index));
    expect(features.some((feature) => String(feature.properties.code).startsWith('511921108209'))).toBe(true);
    for (const feature of features) {
      expect(feature.type).toBe(3);
      expect(String(feature.properties.code)).toMatch(/^\d{18}$/);
      expect(feature.properties.level).toBe('cell');
      const rings = feature.loadGeometry();
      // The first ring of every polygon is exterior: positive area in tile units.
      expect(ringArea(rings[0]!)).toBeGreaterThan(0);
    }
  });

  it('puts a household at its place in a z15 tile', async () => {
    const address = tileOf(household.lng, household.lat, 15);
    const response = await getTile('household', address);
    expect(response.status).toBe(200);
    const features = layerFeatures(decodeTile(await response.arrayBuffer()), 'household', address);
    const found = features.find((feature) => feature.properties.code === household.code);
    if (!found) throw new Error(`household ${household.code} is not in its z15 tile`);
    expect(found.properties.cell_code).toBe(household.cellCode);
    const [lng, lat] = (found.geometry as unknown as { coordinates: [number, number] }).coordinates;
    // One tile unit at z15 is about 1.2 m.
    expect(lng).toBeCloseTo(household.lng, 4);
    expect(lat).toBeCloseTo(household.lat, 4);
    expect(found.properties.count).toBe(1);
  });

  it('merges nearby households below z15 and keeps every one of them counted', async () => {
    const [cell] = await db.rows<{ households: number; west: number; north: number; east: number; south: number }>(sql`
      SELECT households, ST_XMin(geom) AS west, ST_YMax(geom) AS north, ST_XMax(geom) AS east, ST_YMin(geom) AS south
      FROM areas WHERE code = ${household.cellCode}`);
    const [total] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM households`);
    let counted = 0;
    let features = 0;
    const [northWest, southEast] = [tileOf(106.9, 32.6, 12), tileOf(107.8, 31.3, 12)];
    for (let x = northWest.x; x <= southEast.x; x++) {
      for (let y = northWest.y; y <= southEast.y; y++) {
        const response = await getTile('household', { z: 12, x, y });
        if (response.status === 204) continue;
        const layer = decodeTile(await response.arrayBuffer()).layers.household!;
        for (let index = 0; index < layer.length; index++) {
          const feature = layer.feature(index);
          const [point] = feature.loadGeometry()[0]!;
          // Count each merged point once: in the tile that holds it, not in a neighbour's buffer.
          if (point!.x < 0 || point!.y < 0 || point!.x >= 4096 || point!.y >= 4096) continue;
          counted += Number(feature.properties.count);
          features++;
        }
      }
    }
    expect(cell?.households).toBeGreaterThan(0);
    expect(counted).toBe(total?.count);
    expect(features).toBeLessThan(counted);
  });

  it('answers 204 for a tile outside the county and for a layer below its minimum zoom', async () => {
    expect((await getTile('township', { z: 8, x: 0, y: 0 })).status).toBe(204);
    expect((await getTile('household', tileOf(wangping.lng, wangping.lat, 9))).status).toBe(204);
  });

  it('sends Cache-Control and an ETag, answers 304 to a matching If-None-Match, and gzips when asked', async () => {
    const address = tileOf(107.245, 31.912, 9);
    const first = await getTile('cell', address);
    const etag = first.headers.get('ETag');
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers.get('Cache-Control')).toMatch(/^private, max-age=\d+/);
    expect((await getTile('cell', address, { 'If-None-Match': etag! })).status).toBe(304);
    const gzipped = await getTile('cell', address, { 'Accept-Encoding': 'gzip' });
    expect(gzipped.headers.get('Content-Encoding')).toBe('gzip');
    expect(gzipped.headers.get('ETag')).toBe(etag);
  });

  it.each([
    ['/tiles/cell/25/0/0.mvt', 400, 'invalid_tile_address'],
    ['/tiles/cell/8/256/0.mvt', 400, 'invalid_tile_address'],
    ['/tiles/cell/8/0/-1.mvt', 400, 'invalid_tile_address'],
    ['/tiles/cell/a/0/0.mvt', 400, 'invalid_tile_address'],
    ['/tiles/cell/8/0/1.5.mvt', 400, 'invalid_tile_address'],
    ['/tiles/cell/8/0/0.png', 400, 'invalid_tile_format'],
    ['/tiles/roads/8/0/0.mvt', 404, 'unknown_tile_layer'],
  ])('refuses %s with %i %s', async (path, status, code) => {
    const response = await browser.get(path);
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('the two encoders', () => {
  it('agree on which features a tile holds', async () => {
    const repository = tilesRepository(db);
    // The owner handle: no scope cut, the same rows both encoders see for a county-wide viewer.
    const address = tileOf(wangping.lng, wangping.lat, 11);
    const layer = TILE_LAYERS.grid!;
    const jsTile = decodeTile(encodeTile('grid', await repository.features(layer, address.z, address.x, address.y)));
    const jsCodes = layerFeatures(jsTile, 'grid', address)
      .map((feature) => feature.properties.code)
      .sort();
    expect(jsCodes.length).toBeGreaterThan(0);
    if (db.engine !== 'postgres') return;
    const postgisTile = decodeTile(await repository.mvt(layer, address.z, address.x, address.y));
    const postgisCodes = layerFeatures(postgisTile, 'grid', address)
      .map((feature) => feature.properties.code)
      .sort();
    expect(new Set(jsCodes)).toEqual(new Set(postgisCodes));
  });

  // ST_AsMVTGeom and the portable cut (clip, scale, snap to whole units, repair) make the same
  // shapes; the JS path hands them over as TWKB and writes MVT itself. Compare what a map shows.
  it.each([
    ['cell', 8],
    ['cell', 12],
    ['grid', 14],
    ['village', 10],
  ])('draw the same %s outlines at z%i', async (layerName, z) => {
    if (db.engine !== 'postgres') return;
    const repository = tilesRepository(db);
    const address = tileOf(wangping.lng, wangping.lat, z);
    const layer = TILE_LAYERS[layerName]!;
    const outlines = (bytes: Uint8Array) => {
      const decoded = decodeTile(bytes).layers[layerName]!;
      return new Map(
        Array.from({ length: decoded.length }, (_, index) => {
          const feature = decoded.feature(index);
          const rings = feature.loadGeometry();
          const area = rings.reduce((sum, ring) => sum + ringArea(ring), 0);
          const perimeter = rings.reduce(
            (sum, ring) => sum + ring.reduce((length, point, i) => length + (i > 0 ? point.dist(ring[i - 1]!) : 0), 0),
            0,
          );
          return [String(feature.properties.code), { area, perimeter, properties: feature.properties }] as const;
        }),
      );
    };
    const js = outlines(encodeTile(layerName, await repository.features(layer, address.z, address.x, address.y)));
    const postgis = outlines(await repository.mvt(layer, address.z, address.x, address.y));
    expect([...js.keys()].sort()).toEqual([...postgis.keys()].sort());
    for (const [code, { area, perimeter, properties }] of postgis) {
      const mine = js.get(code)!;
      expect(mine.properties).toEqual(properties);
      // Holes count negative. Both sides snap to whole units, so a vertex may land half a unit
      // apart: the areas may differ by up to half the perimeter, never by a missing piece.
      expect(Math.abs(mine.area - area)).toBeLessThanOrEqual(Math.max(4, perimeter / 2));
    }
  });

  it.each([13, 15])('put the same households at the same places at z%i', async (z) => {
    if (db.engine !== 'postgres') return;
    const repository = tilesRepository(db);
    const address = tileOf(household.lng, household.lat, z);
    const layer = TILE_LAYERS.household!;
    const points = (bytes: Uint8Array) => {
      const decoded = decodeTile(bytes).layers.household!;
      return new Map(
        Array.from({ length: decoded.length }, (_, index) => {
          const feature = decoded.feature(index);
          const [point] = feature.loadGeometry()[0]!;
          return [String(feature.properties.code), { x: point!.x, y: point!.y, properties: feature.properties }] as const;
        }),
      );
    };
    const js = points(encodeTile('household', await repository.features(layer, address.z, address.x, address.y)));
    const postgis = points(await repository.mvt(layer, address.z, address.x, address.y));
    expect(js.size).toBeGreaterThan(0);
    expect([...js.keys()].sort()).toEqual([...postgis.keys()].sort());
    for (const [code, place] of postgis) {
      const mine = js.get(code)!;
      expect(mine.properties).toEqual(place.properties);
      expect(Math.abs(mine.x - place.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(mine.y - place.y)).toBeLessThanOrEqual(1);
    }
  });
});

describe('household clusters', () => {
  it('hold every household once per merged zoom, and never cross a cell', async () => {
    const rows = await db.rows<{ zoom: number; households: number; crossing: number }>(sql`
      SELECT c.zoom, sum(c.households)::int AS households,
             count(*) FILTER (WHERE c.code NOT LIKE c.cell_code || '%')::int AS crossing
      FROM household_clusters c GROUP BY c.zoom ORDER BY c.zoom`);
    const [total] = await db.rows<{ count: number }>(sql`SELECT count(*)::int AS count FROM households`);
    expect(rows.map((row) => row.zoom)).toEqual([12, 13, 14]);
    for (const row of rows) {
      expect(row.households).toBe(total?.count);
      expect(row.crossing).toBe(0);
    }
  });
});

describe('tile data prepared under an older format', () => {
  it('is prepared again at start, also when servers start together', async () => {
    const counts = async () =>
      (
        await db.rows<{ outlines: number; clusters: number; named: number }>(sql`
          SELECT (SELECT count(*)::int FROM area_tile_geometries) AS outlines,
                 (SELECT count(*)::int FROM household_clusters) AS clusters,
                 (SELECT count(*)::int FROM area_tile_geometries WHERE name <> '') AS named`)
      )[0];
    const before = await counts();
    await db.rows(sql`UPDATE dataset_meta SET value = '1' WHERE key = 'tile_data_format'`);
    await db.rows(sql`DELETE FROM household_clusters`);
    await db.rows(sql`UPDATE area_tile_geometries SET name = ''`);
    expect(await tileDataCurrent(db)).toBe(false);
    await Promise.all([ensureTileData(db), ensureTileData(db)]);
    expect(await tileDataCurrent(db)).toBe(true);
    const after = await counts();
    expect(after).toEqual(before);
    expect(after?.named).toBe(after?.outlines);
  });
});
