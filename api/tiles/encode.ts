import { TILE_EXTENT } from './layers.ts';

/**
 * A tile feature's shape in whole tile units, y down: a point, or the rings of one or more
 * polygons in sequence, each ring closed (last point = first) with x and y interleaved.
 * Exterior rings have positive area in tile coordinates and come before their holes, as MVT
 * wants, so the rings of a multipolygon can be written one after another.
 */
export type TileGeometry = { type: 'Point'; x: number; y: number } | { type: 'Polygon'; rings: Float64Array[] };

export type TilePropertyValue = string | number | boolean;

/** A feature cut and scaled into tile units, ready to encode. */
export interface TileFeature {
  properties: Record<string, TilePropertyValue>;
  geometry: TileGeometry;
}

/** A growable byte buffer with the protobuf primitives MVT needs. */
class ByteWriter {
  bytes = new Uint8Array(1024);
  length = 0;
  private static readonly text = new TextEncoder();
  private readonly scratch = new DataView(new ArrayBuffer(8));

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** An unsigned varint; exact up to 2^53. */
  varint(value: number): void {
    this.reserve(10);
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.bytes[this.length++] = rest;
  }

  zigzag(value: number): void {
    this.varint(value < 0 ? -2 * value - 1 : 2 * value);
  }

  /** A field key: field number and wire type (0 varint, 1 64-bit, 2 length-delimited). */
  key(field: number, wireType: 0 | 1 | 2): void {
    this.varint(field * 8 + wireType);
  }

  double(value: number): void {
    this.reserve(8);
    this.scratch.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.bytes[this.length++] = this.scratch.getUint8(i);
  }

  /** A length-delimited field holding `content`'s bytes. */
  embedded(field: number, content: ByteWriter): void {
    this.key(field, 2);
    this.varint(content.length);
    this.reserve(content.length);
    this.bytes.set(content.bytes.subarray(0, content.length), this.length);
    this.length += content.length;
  }

  /** A length-delimited UTF-8 string field. */
  string(field: number, value: string): void {
    this.key(field, 2);
    // UTF-8 takes at most three bytes per UTF-16 unit; encode after a five-byte gap for the
    // length, then close the gap to the length's real size. Reserve room for the varint's own
    // reserve too, so that writing the length never reallocates (and drops) the text.
    this.reserve(10 + value.length * 3);
    const start = this.length;
    const written = ByteWriter.text.encodeInto(value, this.bytes.subarray(start + 5)).written;
    let lengthSize = 1;
    for (let rest = written; rest >= 0x80; rest = Math.floor(rest / 0x80)) lengthSize++;
    this.bytes.copyWithin(start + lengthSize, start + 5, start + 5 + written);
    this.varint(written);
    this.length = start + lengthSize + written;
  }

  reset(): void {
    this.length = 0;
  }
}

const GEOM_POINT = 1;
const GEOM_POLYGON = 3;
const MOVE_TO = 1;
const LINE_TO = 2;
const CLOSE_PATH = 7;

const command = (id: number, count: number) => (count << 3) | id;

/**
 * One MVT 2.1 layer (https://github.com/mapbox/vector-tile-spec), written straight from tile
 * coordinates: keys and values are shared across features, geometry is written as commands
 * with zigzag deltas. Rings with fewer than four points (collapsed by the cut) are left out.
 */
class MvtLayerWriter {
  private readonly features = new ByteWriter();
  private readonly tags = new ByteWriter();
  private readonly geometry = new ByteWriter();
  private readonly feature = new ByteWriter();
  private readonly keys = new Map<string, number>();
  private readonly values = new Map<TilePropertyValue, number>();
  private count = 0;

  constructor(
    readonly name: string,
    readonly extent = TILE_EXTENT,
  ) {}

  private tagsOf(properties: Record<string, TilePropertyValue>): void {
    this.tags.reset();
    for (const key in properties) {
      const value = properties[key];
      if (value === undefined || value === null) continue;
      let keyIndex = this.keys.get(key);
      if (keyIndex === undefined) {
        keyIndex = this.keys.size;
        this.keys.set(key, keyIndex);
      }
      let valueIndex = this.values.get(value);
      if (valueIndex === undefined) {
        valueIndex = this.values.size;
        this.values.set(value, valueIndex);
      }
      this.tags.varint(keyIndex);
      this.tags.varint(valueIndex);
    }
  }

  private writeFeature(type: number): void {
    this.feature.reset();
    this.feature.embedded(2, this.tags);
    this.feature.key(3, 0);
    this.feature.varint(type);
    this.feature.embedded(4, this.geometry);
    this.features.embedded(2, this.feature);
    this.count++;
  }

  add({ properties, geometry }: TileFeature): void {
    this.geometry.reset();
    if (geometry.type === 'Point') {
      this.geometry.varint(command(MOVE_TO, 1));
      this.geometry.zigzag(Math.round(geometry.x));
      this.geometry.zigzag(Math.round(geometry.y));
      this.tagsOf(properties);
      this.writeFeature(GEOM_POINT);
      return;
    }
    let cursorX = 0;
    let cursorY = 0;
    for (const ring of geometry.rings) {
      // The closing point is implied by ClosePath.
      const points = ring.length / 2 - 1;
      if (points < 3) continue;
      for (let i = 0; i < points; i++) {
        if (i === 0) this.geometry.varint(command(MOVE_TO, 1));
        else if (i === 1) this.geometry.varint(command(LINE_TO, points - 1));
        const x = Math.round(ring[2 * i] as number);
        const y = Math.round(ring[2 * i + 1] as number);
        this.geometry.zigzag(x - cursorX);
        this.geometry.zigzag(y - cursorY);
        cursorX = x;
        cursorY = y;
      }
      this.geometry.varint(command(CLOSE_PATH, 1));
    }
    if (this.geometry.length === 0) return;
    this.tagsOf(properties);
    this.writeFeature(GEOM_POLYGON);
  }

  /** The whole tile holding this one layer; empty when no feature was added. */
  finish(): Uint8Array {
    if (this.count === 0) return new Uint8Array();
    const head = new ByteWriter();
    head.key(15, 0);
    head.varint(2);
    head.string(1, this.name);
    const tail = new ByteWriter();
    for (const key of this.keys.keys()) tail.string(3, key);
    const value = new ByteWriter();
    for (const v of this.values.keys()) {
      value.reset();
      if (typeof v === 'string') {
        value.string(1, v);
      } else if (typeof v === 'boolean') {
        value.key(7, 0);
        value.varint(v ? 1 : 0);
      } else if (Number.isSafeInteger(v) && v >= 0) {
        value.key(5, 0);
        value.varint(v);
      } else if (Number.isSafeInteger(v)) {
        value.key(6, 0);
        value.zigzag(v);
      } else {
        value.key(3, 1);
        value.double(v);
      }
      tail.embedded(4, value);
    }
    tail.key(5, 0);
    tail.varint(this.extent);
    const layerLength = head.length + this.features.length + tail.length;
    const tile = new ByteWriter();
    tile.key(3, 2);
    tile.varint(layerLength);
    const result = new Uint8Array(tile.length + layerLength);
    let offset = 0;
    for (const part of [tile, head, this.features, tail]) {
      result.set(part.bytes.subarray(0, part.length), offset);
      offset += part.length;
    }
    return result;
  }
}

/** Encodes features already in tile units as a tile of one MVT layer; empty when none has a shape left. */
export function encodeTile(layerName: string, features: TileFeature[]): Uint8Array {
  const layer = new MvtLayerWriter(layerName);
  for (const feature of features) layer.add(feature);
  return layer.finish();
}
