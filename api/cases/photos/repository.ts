import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { reportPhotos, reports } from '../../db/schema.ts';

type Photo = typeof reportPhotos.$inferSelect;

/** A photo to store: its row in `report_photos` but the columns the database fills in. */
export type NewPhoto = Pick<Photo, 'id' | 'reportId' | 'contentType' | 'sha256' | 'cellCode'> & { bytes: Uint8Array };

/**
 * SQL of the photos of a case (`report_photos`): the report's own, sent with it, and those of
 * later steps. Run over the handle the service chooses; row-level security cuts them by cell.
 */
export function casePhotosRepository(db: Queryable) {
  return {
    /**
     * Stores one photo. `position` is its place in the upload: photos are read back ordered by
     * created_at, so the n-th photo is stamped n microseconds after the transaction's start.
     */
    async insertPhoto(photo: NewPhoto, position: number): Promise<void> {
      await db.rows(sql`
        INSERT INTO report_photos (id, report_id, content_type, byte_size, sha256, bytes, cell_code, created_at)
        VALUES (${photo.id}, ${photo.reportId}, ${photo.contentType}, ${photo.bytes.byteLength}, ${photo.sha256},
          ${Buffer.from(photo.bytes.buffer, photo.bytes.byteOffset, photo.bytes.byteLength)}, ${photo.cellCode},
          now() + make_interval(secs => ${position}::int / 1e6))`);
    },

    /** The case a step photo is for: its cell and state, if the case is visible. */
    async caseOfPhotos(reportId: string): Promise<Pick<typeof reports.$inferSelect, 'cellCode' | 'state'> | undefined> {
      const [row] = await db.rows<Pick<typeof reports.$inferSelect, 'cellCode' | 'state'>>(
        sql`SELECT cell_code AS "cellCode", state FROM reports WHERE id = ${reportId}`,
      );
      return row;
    },

    /** A photo of this case with the same bytes, so a retried upload finds the first one. */
    async photoBySha(reportId: string, sha256: string): Promise<Pick<Photo, 'id' | 'contentType' | 'byteSize'> | undefined> {
      const [row] = await db.rows<Pick<Photo, 'id' | 'contentType' | 'byteSize'>>(sql`
        SELECT id, content_type AS "contentType", byte_size AS "byteSize" FROM report_photos
        WHERE report_id = ${reportId} AND sha256 = ${sha256} ORDER BY created_at LIMIT 1`);
      return row;
    },
  };
}
