import { describe, expect, it } from 'vitest';
import { BINARY_COPY_SIGNATURE, BinaryCopyRows } from './binary-copy.ts';

/** The stream after its 19-byte header. */
const body = (stream: Buffer) => stream.subarray(19);

describe('binary COPY rows', () => {
  it('start with the header and end with the trailer', () => {
    const stream = new BinaryCopyRows(64).end();
    expect(stream.subarray(0, 11).equals(BINARY_COPY_SIGNATURE)).toBe(true);
    expect(stream.readInt32BE(11)).toBe(0);
    expect(stream.readInt32BE(15)).toBe(0);
    expect(body(stream).readInt16BE(0)).toBe(-1);
    expect(stream.length).toBe(21);
  });

  it('write times as microseconds since 2000, before it too', () => {
    const stream = body(
      new BinaryCopyRows()
        .row(2)
        .timestamptz(Date.parse('2026-12-05T01:02:03.456Z'))
        .timestamptz(Date.parse('1999-12-31T23:59:59.999Z'))
        .end(),
    );
    expect(stream.readInt16BE(0)).toBe(2);
    expect(stream.readInt32BE(2)).toBe(8);
    expect(stream.readBigInt64BE(6)).toBe(BigInt(Date.parse('2026-12-05T01:02:03.456Z') - Date.UTC(2000, 0, 1)) * 1000n);
    expect(stream.readInt32BE(14)).toBe(8);
    expect(stream.readBigInt64BE(18)).toBe(-1000n);
  });

  it('write text as UTF-8 (a lone surrogate as U+FFFD), NULL, floats, booleans and an EWKB point', () => {
    const stream = body(
      new BinaryCopyRows(64).row(5).text('巡\uD800').null().float8(-0.5).bool(true).pointWgs84(106.5, 31.75).end(),
    );
    let offset = 2;
    expect(stream.readInt32BE(offset)).toBe(6);
    expect(stream.subarray(offset + 4, offset + 10).toString('utf8')).toBe('巡\uFFFD');
    offset += 10;
    expect(stream.readInt32BE(offset)).toBe(-1);
    offset += 4;
    expect(stream.readDoubleBE(offset + 4)).toBe(-0.5);
    offset += 12;
    expect(stream.readUInt8(offset + 4)).toBe(1);
    offset += 5;
    expect(stream.readInt32BE(offset)).toBe(25);
    expect(stream.readUInt8(offset + 4)).toBe(1);
    expect(stream.readUInt32LE(offset + 5)).toBe(0x20000001);
    expect(stream.readUInt32LE(offset + 9)).toBe(4326);
    expect([stream.readDoubleLE(offset + 13), stream.readDoubleLE(offset + 21)]).toEqual([106.5, 31.75]);
    expect(stream.readInt16BE(offset + 29)).toBe(-1);
  });

  it('grow past the size they were given', () => {
    const rows = new BinaryCopyRows(64);
    for (let index = 0; index < 1_000; index++) rows.row(1).text(`fix-${index}`);
    const stream = body(rows.end());
    let offset = 0;
    for (let index = 0; index < 1_000; index++) {
      expect(stream.readInt16BE(offset)).toBe(1);
      const length = stream.readInt32BE(offset + 2);
      expect(stream.subarray(offset + 6, offset + 6 + length).toString()).toBe(`fix-${index}`);
      offset += 6 + length;
    }
    expect(stream.readInt16BE(offset)).toBe(-1);
  });
});
