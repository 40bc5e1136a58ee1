/** The start of every binary COPY stream: "PGCOPY\n\377\r\n\0". */
export const BINARY_COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** PostgreSQL's epoch, 2000-01-01 UTC, in Unix milliseconds. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_TO_32 = 2 ** 32;
/** An EWKB point with an SRID: byte order, type with the SRID flag, SRID, x, y. */
const EWKB_POINT_BYTES = 1 + 4 + 4 + 8 + 8;
const EWKB_POINT_WITH_SRID = 0x20000001;

/**
 * Rows in PostgreSQL's binary COPY format (`COPY … FROM STDIN (FORMAT binary)`), written field
 * by field straight into one buffer: no text to parse on either side, and no object per row.
 * The caller writes each row's fields in the order of the COPY's column list, with the type of
 * that column; PostgreSQL refuses a stream whose rows do not match it, and the COPY fails whole.
 */
export class BinaryCopyRows {
  private buffer: Buffer;
  private offset = 0;

  constructor(expectedBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(Math.max(expectedBytes, 64));
    this.offset += BINARY_COPY_SIGNATURE.copy(this.buffer, 0);
    this.offset = this.buffer.writeInt32BE(0, this.offset); // flags: no OIDs
    this.offset = this.buffer.writeInt32BE(0, this.offset); // no header extension
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): this {
    this.room(2);
    this.offset = this.buffer.writeInt16BE(fields, this.offset);
    return this;
  }

  /** A text value (UTF-8); lone surrogates are written as U+FFFD, as toWellFormed() would. */
  text(value: string): this {
    this.room(4 + 3 * value.length);
    const written = this.buffer.write(value, this.offset + 4, 'utf8');
    this.buffer.writeInt32BE(written, this.offset);
    this.offset += 4 + written;
    return this;
  }

  /** A timestamptz at `ms` Unix milliseconds (whole milliseconds, as a JS Date holds). */
  timestamptz(ms: number): this {
    this.room(12);
    const micros = (ms - POSTGRES_EPOCH_MS) * 1000;
    const high = Math.floor(micros / TWO_TO_32);
    this.offset = this.buffer.writeInt32BE(8, this.offset);
    this.offset = this.buffer.writeInt32BE(high, this.offset);
    this.offset = this.buffer.writeUInt32BE(micros - high * TWO_TO_32, this.offset);
    return this;
  }

  /** A float8, or NULL. */
  float8(value: number | null): this {
    if (value === null) return this.null();
    this.room(12);
    this.offset = this.buffer.writeInt32BE(8, this.offset);
    this.offset = this.buffer.writeDoubleBE(value, this.offset);
    return this;
  }

  bool(value: boolean): this {
    this.room(5);
    this.offset = this.buffer.writeInt32BE(1, this.offset);
    this.offset = this.buffer.writeUInt8(value ? 1 : 0, this.offset);
    return this;
  }

  /** A PostGIS geometry point in WGS84 (SRID 4326), as EWKB. */
  pointWgs84(lng: number, lat: number): this {
    this.room(4 + EWKB_POINT_BYTES);
    this.offset = this.buffer.writeInt32BE(EWKB_POINT_BYTES, this.offset);
    this.offset = this.buffer.writeUInt8(1, this.offset); // little-endian
    this.offset = this.buffer.writeUInt32LE(EWKB_POINT_WITH_SRID, this.offset);
    this.offset = this.buffer.writeUInt32LE(4326, this.offset);
    this.offset = this.buffer.writeDoubleLE(lng, this.offset);
    this.offset = this.buffer.writeDoubleLE(lat, this.offset);
    return this;
  }

  null(): this {
    this.room(4);
    this.offset = this.buffer.writeInt32BE(-1, this.offset);
    return this;
  }

  /** The stream, ended: no more rows can be written. */
  end(): Buffer {
    this.room(2);
    this.offset = this.buffer.writeInt16BE(-1, this.offset);
    return this.buffer.subarray(0, this.offset);
  }

  /** Makes room for `bytes` more, doubling the buffer as often as needed. */
  private room(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.offset + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }
}
