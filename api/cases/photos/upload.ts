import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { AppError, badRequest } from '../../errors.ts';
import { assertStorable } from '../../http/unstorable-text.ts';
import { type PhotoType, sniffPhotoType } from './photo-type.ts';

const MIB = 1024 * 1024;
/** Photos per report: what a phone page offers, resized to about 1-2 MB each. */
export const MAX_PHOTOS = 6;
/** One photo, in bytes (8 MB): far above a resized phone photo, far below what would strain the database. */
export const MAX_PHOTO_BYTES = 8 * MIB;

/** A photo as received: its bytes, the type sniffed from them, and what the client said it was. */
export interface SubmittedPhoto {
  bytes: Uint8Array;
  contentType: PhotoType;
  sha256: string;
  fileName: string;
  claimedType: string;
}

/** One uploaded photo, checked: its size, and its type sniffed from its bytes (the client's word is kept, not trusted). */
export async function checkPhoto(file: File, index: number): Promise<SubmittedPhoto> {
  const where = { index, fileName: file.name, claimedType: file.type };
  if (file.size > MAX_PHOTO_BYTES) {
    throw new AppError(
      413,
      'photo_too_large',
      { zh: `第 ${index + 1} 张照片超过 8 MB`, en: `Photo ${index + 1} is larger than 8 MB` },
      { ...where, bytes: file.size, maxBytes: MAX_PHOTO_BYTES },
    );
  }
  if (file.size === 0) {
    throw badRequest('photo_empty', { zh: `第 ${index + 1} 张照片是空文件`, en: `Photo ${index + 1} is empty` }, where);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const contentType = sniffPhotoType(bytes);
  if (!contentType) {
    throw badRequest(
      'photo_not_an_image',
      {
        zh: `第 ${index + 1} 张照片不是 JPEG、PNG 或 WebP 图片`,
        en: `Photo ${index + 1} is not a JPEG, PNG or WebP image`,
      },
      where,
    );
  }
  return {
    bytes,
    contentType,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    fileName: file.name,
    claimedType: file.type,
  };
}

/** The request's multipart/form-data body; 400 when it cannot be parsed. */
export async function readForm(c: Context<AppEnv>): Promise<FormData> {
  try {
    return await c.req.raw.formData();
  } catch {
    throw badRequest('malformed_multipart', {
      zh: '上传内容格式错误（multipart/form-data 无法解析）',
      en: 'The upload is malformed: the multipart/form-data body cannot be parsed',
    });
  }
}

/**
 * Reads the photos of a case step (POST /api/cases/{id}/photos): multipart/form-data holding
 * only `photos` files, one to six, each checked like a report's.
 */
export async function readPhotoUpload(c: Context<AppEnv>): Promise<SubmittedPhoto[]> {
  const contentType = (c.req.header('Content-Type') ?? '').toLowerCase();
  if (!contentType.startsWith('multipart/form-data')) {
    throw new AppError(
      415,
      'unsupported_media_type',
      { zh: '照片请用 multipart/form-data 上传', en: 'Upload photos as multipart/form-data' },
      { contentType: contentType || null },
    );
  }
  const form = await readForm(c);
  const files = form.getAll('photos').filter((value): value is File => typeof value !== 'string');
  for (const [index, file] of files.entries()) assertStorable(file.name, `body.photos.${index}`);
  if (files.length === 0 || files.length > MAX_PHOTOS) {
    throw badRequest(
      'photo_count',
      { zh: `请上传 1 到 ${MAX_PHOTOS} 张照片（photos 字段）`, en: `Upload 1 to ${MAX_PHOTOS} photos (field photos)` },
      { photos: files.length, max: MAX_PHOTOS },
    );
  }
  const checked: SubmittedPhoto[] = [];
  for (const [index, file] of files.entries()) checked.push(await checkPhoto(file, index));
  return checked;
}
