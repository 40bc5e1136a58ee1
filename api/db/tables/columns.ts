import { sql } from 'drizzle-orm';
import { type AnyPgColumn, index, integer, text } from 'drizzle-orm/pg-core';
import { bytea } from '../geometry.ts';

// Column and index blocks that several tables share, so that they are declared (and migrated) alike.

/**
 * The index behind every scoped read of a table cut by area: `area_code LIKE scope || '%'` (the
 * row-level security policies and the services' filters) uses it only with `text_pattern_ops`.
 * Named `<table>_area_pattern_idx`.
 */
export function areaScopeIndex(table: string, areaCode: AnyPgColumn) {
  return index(`${table}_area_pattern_idx`).using('btree', sql`${areaCode} text_pattern_ops`);
}

/** A stored photo: its bytes, with the content type sniffed from them, their size and SHA-256 (hex). */
export function photoColumns() {
  return {
    contentType: text('content_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    bytes: bytea('bytes').notNull(),
  };
}
