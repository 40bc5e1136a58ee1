import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { encodeTile, type TileFeature } from './encode.ts';

const decode = (bytes: Uint8Array) => new VectorTile(new PbfReader(bytes));

/** A closed ring from [x, y] pairs (the first pair repeated at the end). */
function ring(...points: [number, number][]): Float64Array {
  return Float64Array.from([...points, points[0] as [number, number]].flat());
}

const square = (x: number, y: number, size: number) => ring([x, y], [x + size, y], [x + size, y + size], [x, y + size]);

describe('encodeTile', () => {
  it('writes polygons with holes and several parts, and points, as MVT 2 readers see them', () => {
    const features: TileFeature[] = [
      {
        properties: { code: '511921001', name: '诺江镇', population: 12000, urban: true },
        // An exterior ring, its hole (opposite winding), and a second part.
        geometry: {
          type: 'Polygon',
          rings: [square(0, 0, 100), ring([20, 20], [20, 40], [40, 40], [40, 20]), square(200, 200, 50)],
        },
      },
      { properties: { code: 'h1', residents: 3, count: 1 }, geometry: { type: 'Point', x: 4100, y: -20 } },
    ];
    const tile = decode(encodeTile('mixed', features));
    const layer = tile.layers.mixed;
    expect(layer?.version).toBe(2);
    expect(layer?.extent).toBe(4096);
    expect(layer?.length).toBe(2);
    const polygon = layer!.feature(0);
    expect(polygon.type).toBe(3);
    expect(polygon.properties).toEqual({ code: '511921001', name: '诺江镇', population: 12000, urban: true });
    expect(polygon.loadGeometry().map((points) => points.map(({ x, y }) => [x, y]))).toEqual([
      [
        [0, 0],
        [100, 0],
        [100, 100],
        [0, 100],
        [0, 0],
      ],
      [
        [20, 20],
        [20, 40],
        [40, 40],
        [40, 20],
        [20, 20],
      ],
      [
        [200, 200],
        [250, 200],
        [250, 250],
        [200, 250],
        [200, 200],
      ],
    ]);
    const point = layer!.feature(1);
    expect(point.type).toBe(1);
    expect(point.properties).toEqual({ code: 'h1', residents: 3, count: 1 });
    expect(point.loadGeometry()).toEqual([[{ x: 4100, y: -20 }]]);
  });

  it('keeps every kind of value: text, whole numbers of either sign, fractions, booleans', () => {
    const properties = { text: '王坪村', zero: 0, big: 2 ** 40, negative: -7, fraction: 0.25, yes: true, no: false };
    const tile = decode(encodeTile('values', [{ properties, geometry: { type: 'Point', x: 1, y: 2 } }]));
    expect(tile.layers.values!.feature(0).properties).toEqual(properties);
  });

  it('shares keys and values between features', () => {
    const features: TileFeature[] = ['a', 'b', 'a'].map((name, index) => ({
      properties: { name, kind: 'cell' },
      geometry: { type: 'Point', x: index, y: index },
    }));
    const layer = decode(encodeTile('shared', features)).layers.shared!;
    const raw = layer as unknown as { _keys: string[]; _values: unknown[] };
    expect(raw._keys).toEqual(['name', 'kind']);
    expect(raw._values).toEqual(['a', 'cell', 'b']);
    expect(Array.from({ length: 3 }, (_, i) => layer.feature(i).properties.name)).toEqual(['a', 'b', 'a']);
  });

  it('leaves out rings collapsed below four points, and features with nothing left', () => {
    const collapsed = Float64Array.from([5, 5, 6, 5, 5, 5]);
    const features: TileFeature[] = [
      { properties: { code: 'gone' }, geometry: { type: 'Polygon', rings: [collapsed] } },
      { properties: { code: 'kept' }, geometry: { type: 'Polygon', rings: [collapsed, square(10, 10, 10)] } },
    ];
    const layer = decode(encodeTile('cut', features)).layers.cut!;
    expect(layer.length).toBe(1);
    expect(layer.feature(0).properties.code).toBe('kept');
    expect(layer.feature(0).loadGeometry()).toHaveLength(1);
  });

  it('gives no bytes at all for a tile without features', () => {
    expect(encodeTile('empty', [])).toHaveLength(0);
    const onlyCollapsed: TileFeature = {
      properties: { code: 'x' },
      geometry: { type: 'Polygon', rings: [Float64Array.from([0, 0, 1, 0, 0, 0])] },
    };
    expect(encodeTile('empty', [onlyCollapsed])).toHaveLength(0);
  });

  it('writes long layer names and texts whose length needs more than one byte', () => {
    const long = '网'.repeat(300);
    const tile = decode(encodeTile(long, [{ properties: { long }, geometry: { type: 'Point', x: 0, y: 0 } }]));
    expect(tile.layers[long]!.feature(0).properties.long).toBe(long);
  });
});
