import { randomUUID } from 'node:crypto';
import type { Principal } from '../../app-env.ts';
import type { Database } from '../../db/client.ts';
import { enterScope } from '../../db/scoped.ts';
import { AppError, notFound } from '../../errors.ts';
import { isFinishedState } from '../../vocabulary/case-states.ts';
import { casePhotosRepository } from './repository.ts';
import type { SubmittedPhoto } from './upload.ts';

/** Where a stored photo is read back (GET /api/reports/{id}/photos/{photoId}). */
export const photoUrl = (reportId: string, photoId: string) => `/api/reports/${reportId}/photos/${photoId}`;

/** Photos of a case's steps (the handler's before/after photos). */
export function casePhotosService(owner: Database) {
  return {
    /**
     * Stores photos for a step of an open case, as the scoped role in one transaction; a photo
     * this case already has (same bytes) is not stored again.
     */
    async add(principal: Principal, reportId: string, photos: readonly SubmittedPhoto[]) {
      return owner.transaction(async (tx) => {
        await enterScope(tx, principal);
        const repository = casePhotosRepository(tx);
        const report = await repository.caseOfPhotos(reportId);
        if (!report) throw notFound('case_not_found', { zh: '找不到该案件', en: 'No such case' }, { id: reportId });
        if (isFinishedState(report.state)) {
          throw new AppError(
            409,
            'case_finished',
            { zh: '案件已办结，不能再添加照片', en: 'The case is finished: no more photos can be added' },
            { state: report.state },
          );
        }
        const stored: { id: string; contentType: string; byteSize: number }[] = [];
        for (const [index, photo] of photos.entries()) {
          const existing = await repository.photoBySha(reportId, photo.sha256);
          if (existing) {
            stored.push(existing);
            continue;
          }
          const id = randomUUID();
          await repository.insertPhoto(
            { id, reportId, contentType: photo.contentType, sha256: photo.sha256, bytes: photo.bytes, cellCode: report.cellCode },
            index,
          );
          stored.push({ id, contentType: photo.contentType, byteSize: photo.bytes.byteLength });
        }
        return stored.map((photo) => ({ ...photo, url: photoUrl(reportId, photo.id) }));
      });
    },
  };
}
