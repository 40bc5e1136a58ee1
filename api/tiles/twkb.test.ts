import { describe, expect, it } from 'vitest';
import { readTwkbMembers, TwkbError } from './twkb.ts';

/** Writes TWKB by hand, as the specification lays it out, to check the reader byte by byte. */
class TwkbWriter {
  bytes: number[] = [];

  varint(value: number): this {
    let rest = value;
    while (rest >= 0x80) {
      this.bytes.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    this.bytes.push(rest);
    return this;
  }

  signed(value: number): this {
    return this.varint(value < 0 ? -2 * value - 1 : 2 * value);
  }

  header(type: number, flags: number, precision = 0): this {
    const zigzag = precision < 0 ? -2 * precision - 1 : 2 * precision;
    this.bytes.push((zigzag << 4) | type, flags);
    return this;
  }

  /** Points as deltas from `from`; returns the last point. */
  points(points: [number, number][], from: [number, number] = [0, 0]): [number, number] {
    let [x, y] = from;
    for (const [px, py] of points) {
      this.signed(px - x).signed(py - y);
      [x, y] = [px, py];
    }
    return [x, y];
  }

  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const IDS = 0x04;
const closed = (points: [number, number][]) => [...points, points[0] as [number, number]];
const flat = (points: [number, number][]) => Float64Array.from(points.flat());

describe('readTwkbMembers', () => {
  it('reads a collection whose members each start their deltas afresh', () => {
    const first = closed([
      [0, 0],
      [10, 0],
      [10, 10],
    ]);
    const second = closed([
      [100, 100],
      [120, 100],
      [120, 130],
    ]);
    const writer = new TwkbWriter().header(7, IDS).varint(2).signed(1).signed(2);
    for (const ring of [first, second]) {
      writer.header(3, 0).varint(1).varint(ring.length);
      writer.points(ring);
    }
    expect(readTwkbMembers(writer.done())).toEqual([
      { id: 1, geometry: { type: 'Polygon', rings: [flat(first)] } },
      { id: 2, geometry: { type: 'Polygon', rings: [flat(second)] } },
    ]);
  });

  it('reads a multipolygon with ids as one member per part, deltas running on across parts and rings', () => {
    const outer = closed([
      [0, 0],
      [40, 0],
      [40, 40],
      [0, 40],
    ]);
    const hole = closed([
      [10, 10],
      [10, 20],
      [20, 20],
    ]);
    const other = closed([
      [-50, -60],
      [-40, -60],
      [-40, -50],
    ]);
    const writer = new TwkbWriter().header(6, IDS).varint(2).signed(7).signed(8);
    writer.varint(2).varint(outer.length);
    let cursor = writer.points(outer);
    writer.varint(hole.length);
    cursor = writer.points(hole, cursor);
    writer.varint(1).varint(other.length);
    writer.points(other, cursor);
    expect(readTwkbMembers(writer.done())).toEqual([
      { id: 7, geometry: { type: 'Polygon', rings: [flat(outer), flat(hole)] } },
      { id: 8, geometry: { type: 'Polygon', rings: [flat(other)] } },
    ]);
  });

  it('skips the bounding box and size, and scales by the precision', () => {
    const writer = new TwkbWriter().header(7, IDS | 0x01 | 0x02, 1).varint(99);
    for (const value of [0, 10, 0, 10]) writer.signed(value);
    writer.varint(1).signed(5);
    writer.header(1, 0, 1);
    writer.points([[15, -25]]);
    expect(readTwkbMembers(writer.done())).toEqual([{ id: 5, geometry: { type: 'Point', x: 1.5, y: -2.5 } }]);
  });

  it('reads empty members and an empty or missing collection', () => {
    const writer = new TwkbWriter().header(7, IDS).varint(1).signed(3).header(3, 0x10);
    expect(readTwkbMembers(writer.done())).toEqual([{ id: 3, geometry: { type: 'Empty' } }]);
    expect(readTwkbMembers(new TwkbWriter().header(7, 0x10).done())).toEqual([]);
    expect(readTwkbMembers(null)).toEqual([]);
    expect(readTwkbMembers(new Uint8Array())).toEqual([]);
  });

  it('refuses truncated data and collections without ids', () => {
    const truncated = new TwkbWriter().header(7, IDS).varint(1).signed(1).header(3, 0).varint(1).varint(4).done();
    expect(() => readTwkbMembers(truncated)).toThrow(TwkbError);
    const withoutIds = new TwkbWriter().header(7, 0).varint(0).done();
    expect(() => readTwkbMembers(withoutIds)).toThrow(/no ids/);
  });
});
