import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import { recordRead } from '../audit/service.ts';
import { requires } from '../auth/middleware.ts';
import { can } from '../auth/permissions.ts';
import type { Database } from '../db/client.ts';
import { AppError, badRequest } from '../errors.ts';
import { ErrorSchema } from '../openapi.ts';
import { HOUSEHOLD_DETAIL_ZOOM, TILE_LAYER_NAMES } from './layers.ts';
import type { TilesService } from './service.ts';

/**
 * Tiles change only when boundaries are re-imported; the ETag (which carries the data version)
 * catches that. Private: a tile is cut to the signed-in viewer's scope, so a shared cache must
 * not hand it to anyone else.
 */
const TILE_CACHE_CONTROL = 'private, max-age=3600, stale-while-revalidate=86400';

function parseTileNumber(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) {
    throw badRequest(
      'invalid_tile_address',
      { zh: `瓦片地址中的 ${name}（“${value}”）应为非负整数`, en: `Tile ${name} "${value}" must be a non-negative integer` },
      { [name]: value },
    );
  }
  return Number(value);
}

/**
 * A street-level household tile is recorded once per session per hour: within that hour the
 * browser serves it from its own cache (Cache-Control above), so a repeat is the same read.
 */
const HOUSEHOLD_READ_MEMORY_MS = 3_600_000;
const HOUSEHOLD_READ_MEMORY_ENTRIES = 100_000;

/** `owner` writes the audit entries for household tiles read at street level. */
export function tilesRoutes(service: TilesService, owner: Database) {
  const recentHouseholdReads = new Map<string, number>();
  function firstReadThisHour(key: string): boolean {
    const now = Date.now();
    const seen = recentHouseholdReads.get(key);
    if (seen !== undefined && now - seen < HOUSEHOLD_READ_MEMORY_MS) return false;
    recentHouseholdReads.delete(key);
    recentHouseholdReads.set(key, now);
    if (recentHouseholdReads.size > HOUSEHOLD_READ_MEMORY_ENTRIES) {
      const oldest = recentHouseholdReads.keys().next().value;
      if (oldest !== undefined) recentHouseholdReads.delete(oldest);
    }
    return true;
  }

  const app = new OpenAPIHono<AppEnv>();

  const layerParam = z.enum(TILE_LAYER_NAMES as [string, ...string[]]).openapi({ param: { name: 'layer', in: 'path' } });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/tiles/{layer}/{z}/{x}/{y}.mvt',
    tags: ['tiles'],
    summary: 'A Mapbox Vector Tile of one layer (ST_AsMVT on PostgreSQL, SQL cut + JS encoder on the embedded database)',
    request: {
      params: z.object({
        layer: layerParam,
        z: z
          .number()
          .int()
          .min(0)
          .max(24)
          .openapi({ param: { name: 'z', in: 'path' } }),
        x: z
          .number()
          .int()
          .min(0)
          .openapi({ param: { name: 'x', in: 'path' } }),
        y: z
          .number()
          .int()
          .min(0)
          .openapi({ param: { name: 'y', in: 'path' } }),
      }),
    },
    responses: {
      200: {
        content: { 'application/vnd.mapbox-vector-tile': { schema: z.string().openapi({ format: 'binary' }) } },
        description: 'The tile',
      },
      204: { description: 'No feature in this tile' },
      304: { description: 'Unchanged since the ETag sent in If-None-Match' },
      400: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Impossible z/x/y' },
      404: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Unknown layer' },
    },
  });
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/tiles/{layer}.json',
    tags: ['tiles'],
    summary: 'TileJSON 3.0.0 of one layer',
    request: { params: z.object({ layer: layerParam }) },
    responses: {
      200: { content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } }, description: 'TileJSON' },
      404: { content: { 'application/json': { schema: ErrorSchema } }, description: 'Unknown layer' },
    },
  });

  app.get('/tiles/:file{[^/]+\\.json}', requires('map.view'), async (c) => {
    const layer = c.req.param('file').replace(/\.json$/, '');
    return c.json(await service.tileJson(layer, new URL(c.req.url).origin));
  });

  app.get('/tiles/:layer/:z/:x/:file', requires('map.view'), async (c) => {
    const file = c.req.param('file');
    if (!file.endsWith('.mvt')) {
      throw badRequest('invalid_tile_format', { zh: '瓦片只提供 .mvt 格式', en: 'Tiles are served as .mvt only' }, { file });
    }
    const principal = c.get('principal')!;
    const address = {
      layer: c.req.param('layer'),
      z: parseTileNumber('z', c.req.param('z')),
      x: parseTileNumber('x', c.req.param('x')),
      y: parseTileNumber('y', file.slice(0, -'.mvt'.length)),
    };
    if (address.layer === 'household' && !can(principal.role, 'households.view')) {
      throw new AppError(
        403,
        'forbidden',
        { zh: '您的角色无权查看住户', en: 'Your role may not view households' },
        { action: 'households.view' },
      );
    }
    const tile = await service.tile(address, { db: c.get('db'), scopeCode: principal.scopeCode });
    const tileId = `${address.z}/${address.x}/${address.y}`;
    if (
      address.layer === 'household' &&
      address.z >= HOUSEHOLD_DETAIL_ZOOM &&
      tile.body.length > 0 &&
      firstReadThisHour(`${principal.sessionId}|${tileId}`)
    ) {
      await recordRead(
        owner,
        { principal, ip: c.get('clientIp') || null, userAgent: c.req.header('User-Agent') ?? null },
        { action: 'households.read', targetType: 'tile', targetId: tileId, scopeCode: principal.scopeCode },
      );
    }
    c.header('Cache-Control', TILE_CACHE_CONTROL);
    c.header('ETag', tile.etag);
    c.header('Vary', 'Accept-Encoding');
    if (c.req.header('If-None-Match') === tile.etag) return c.body(null, 304);
    if (tile.body.length === 0) return c.body(null, 204);
    c.header('Content-Type', 'application/vnd.mapbox-vector-tile');
    if (tile.gzipped && /\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '')) {
      c.header('Content-Encoding', 'gzip');
      return c.body(tile.gzipped as Uint8Array<ArrayBuffer>);
    }
    return c.body(tile.body as Uint8Array<ArrayBuffer>);
  });

  return app;
}
