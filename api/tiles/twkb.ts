import type { TileGeometry } from './encode.ts';

/**
 * A reader for TWKB (Tiny Well-Known Binary, https://github.com/TWKB/Specification), which
 * PostGIS writes with ST_AsTWKB. The embedded database hands a tile's cut outlines over in it:
 * coordinates are whole tile units written as zigzag varint deltas, so a tile's geometry
 * arrives as compact bytes instead of a JSON text the database must format and JavaScript
 * must parse, and is read straight into flat rings for the MVT writer.
 */

const POINT = 1;
const LINESTRING = 2;
const POLYGON = 3;
const MULTIPOINT = 4;
const MULTILINESTRING = 5;
const MULTIPOLYGON = 6;
const COLLECTION = 7;

const HAS_BBOX = 0x01;
const HAS_SIZE = 0x02;
const HAS_IDLIST = 0x04;
const HAS_EXTENDED_DIMS = 0x08;
const IS_EMPTY = 0x10;

/**
 * A member's shape: polygons and multipolygons both become a sequence of closed rings. Lines and
 * multipoints, which tiles never hand over, are read past and marked `Other`.
 */
type TwkbGeometry = TileGeometry | { type: 'Empty' } | { type: 'Other' };

/** One geometry of what ST_AsTWKB(geometry[], bigint[]) wrote: its id and its shape. */
export interface TwkbMember {
  /** PostGIS keeps only the low 32 bits of an id, so callers number their members 1, 2, 3 … */
  id: number;
  geometry: TwkbGeometry;
}

export class TwkbError extends Error {
  constructor(message: string) {
    super(`TWKB: ${message}`);
    this.name = 'TwkbError';
  }
}

class Reader {
  offset = 0;
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  byte(): number {
    if (this.offset >= this.bytes.length) throw new TwkbError('the data ends too early');
    return this.bytes[this.offset++] as number;
  }

  /** An unsigned LEB128 varint, exact up to 2^53. */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let shift = 0; shift < 53; shift += 7) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
    }
    throw new TwkbError('a number is longer than 53 bits');
  }

  /** Zigzag: 0, -1, 1, -2, 2 … are written as 0, 1, 2, 3, 4 … */
  signed(): number {
    const value = this.varint();
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }
}

interface Header {
  type: number;
  /** Coordinates are written multiplied by 10^precision. */
  divisor: number;
  dims: number;
  flags: number;
}

function readHeader(reader: Reader): Header {
  const typeAndPrecision = reader.byte();
  const type = typeAndPrecision & 0x0f;
  const zigzag = typeAndPrecision >> 4;
  const precision = zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  const flags = reader.byte();
  let dims = 2;
  if (flags & HAS_EXTENDED_DIMS) {
    const extended = reader.byte();
    dims += (extended & 0x01 ? 1 : 0) + (extended & 0x02 ? 1 : 0);
  }
  if (flags & HAS_SIZE) reader.varint();
  if (flags & HAS_BBOX && !(flags & IS_EMPTY)) for (let i = 0; i < dims * 2; i++) reader.signed();
  return { type, divisor: 10 ** precision, dims, flags };
}

/** The delta decoder's position: the previous point of the same geometry. */
interface Cursor {
  x: number;
  y: number;
}

/** `count` points as x, y pairs; the deltas continue from `cursor`, which is advanced. */
function readPoints(reader: Reader, header: Header, count: number, cursor: Cursor): Float64Array {
  const points = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    cursor.x += reader.signed();
    cursor.y += reader.signed();
    for (let d = 2; d < header.dims; d++) reader.signed();
    points[2 * i] = cursor.x / header.divisor;
    points[2 * i + 1] = cursor.y / header.divisor;
  }
  return points;
}

function readRings(reader: Reader, header: Header, cursor: Cursor, into: Float64Array[]): void {
  const ringCount = reader.varint();
  for (let r = 0; r < ringCount; r++) into.push(readPoints(reader, header, reader.varint(), cursor));
}

function pointOf(points: Float64Array): TileGeometry {
  return { type: 'Point', x: points[0] as number, y: points[1] as number };
}

/**
 * The body of a geometry whose header was just read. A multi-geometry gives its parts too,
 * with their ids when the header says ids follow the part count.
 */
function readBody(reader: Reader, header: Header): { geometry: TwkbGeometry; parts?: TwkbGeometry[]; ids?: number[] } {
  if (header.flags & IS_EMPTY) return { geometry: { type: 'Empty' } };
  const cursor = { x: 0, y: 0 };
  switch (header.type) {
    case POINT:
      return { geometry: pointOf(readPoints(reader, header, 1, cursor)) };
    case LINESTRING:
      readPoints(reader, header, reader.varint(), cursor);
      return { geometry: { type: 'Other' } };
    case POLYGON: {
      const rings: Float64Array[] = [];
      readRings(reader, header, cursor, rings);
      return { geometry: { type: 'Polygon', rings } };
    }
    case MULTIPOINT:
    case MULTILINESTRING:
    case MULTIPOLYGON: {
      const count = reader.varint();
      const ids = header.flags & HAS_IDLIST ? Array.from({ length: count }, () => reader.signed()) : undefined;
      const parts: TwkbGeometry[] = new Array(count);
      const allRings: Float64Array[] = [];
      for (let i = 0; i < count; i++) {
        if (header.type === MULTIPOINT) {
          parts[i] = pointOf(readPoints(reader, header, 1, cursor));
        } else if (header.type === MULTIPOLYGON) {
          const rings: Float64Array[] = [];
          readRings(reader, header, cursor, rings);
          allRings.push(...rings);
          parts[i] = { type: 'Polygon', rings };
        } else {
          readPoints(reader, header, reader.varint(), cursor);
          parts[i] = { type: 'Other' };
        }
      }
      const geometry: TwkbGeometry = header.type === MULTIPOLYGON ? { type: 'Polygon', rings: allRings } : { type: 'Other' };
      return { geometry, parts, ...(ids ? { ids } : {}) };
    }
    default:
      throw new TwkbError(`geometry type ${header.type} where a simple geometry was expected`);
  }
}

/**
 * The members of what ST_AsTWKB(geometry[], bigint[]) wrote: a collection whose members each
 * carry their own header (their deltas start afresh), or, when every member has the same
 * simple type, one multi-geometry whose parts are the members. Null or empty input gives none.
 */
export function readTwkbMembers(bytes: Uint8Array | null | undefined): TwkbMember[] {
  if (!bytes || bytes.length === 0) return [];
  const reader = new Reader(bytes);
  const header = readHeader(reader);
  if (header.flags & IS_EMPTY) return [];
  if (!(header.flags & HAS_IDLIST)) throw new TwkbError('the collection carries no ids');
  if (header.type === COLLECTION) {
    const count = reader.varint();
    const ids = Array.from({ length: count }, () => reader.signed());
    return ids.map((id) => ({ id, geometry: readBody(reader, readHeader(reader)).geometry }));
  }
  const { parts, ids } = readBody(reader, header);
  if (!ids || !parts) throw new TwkbError(`a geometry of type ${header.type} cannot carry ids`);
  return ids.map((id, index) => ({ id, geometry: parts[index] as TwkbGeometry }));
}
