import { scaleToLongEdge } from '../../geo/scale-to-long-edge.ts';

/** Long edge of a stored photo, in pixels: enough to see a crack in a slope, small enough for a weak rural connection. */
const PHOTO_MAX_LONG_EDGE = 1600;
/** JPEG quality of a stored photo (0-1). */
const PHOTO_JPEG_QUALITY = 0.8;
/** Photos per report; the server holds to the same number. */
export const MAX_PHOTOS = 6;

/** A photo as the outbox keeps it: already resized on the phone. */
export interface StoredPhoto {
  id: string;
  blob: Blob;
  width: number;
  height: number;
}

/** The photo could not be decoded (an unsupported format such as HEIC on some browsers, or a broken file). */
export class UnreadablePhotoError extends Error {
  constructor(readonly fileName: string) {
    super(`cannot read ${fileName}`);
    this.name = 'UnreadablePhotoError';
  }
}

/** Decodes the file upright (EXIF orientation applied); an <img> is the fallback where createImageBitmap cannot read it. */
async function decode(file: Blob): Promise<ImageBitmap | HTMLImageElement> {
  try {
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    const url = URL.createObjectURL(file);
    try {
      const image = new Image();
      image.src = url;
      await image.decode();
      return image;
    } finally {
      URL.revokeObjectURL(url);
    }
  }
}

function toJpeg(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('canvas.toBlob gave nothing'))),
      'image/jpeg',
      PHOTO_JPEG_QUALITY,
    );
  });
}

/**
 * Resizes a photo from the camera or the gallery to at most {@link PHOTO_MAX_LONG_EDGE} pixels on
 * its long edge and re-encodes it as JPEG, before it is stored: a 12-megapixel photo of 4-6 MB
 * becomes about 300 KB. Re-encoding also drops the EXIF block (with the phone's own GPS fix).
 */
export async function resizePhoto(file: File): Promise<StoredPhoto> {
  let source: ImageBitmap | HTMLImageElement;
  try {
    source = await decode(file);
  } catch {
    throw new UnreadablePhotoError(file.name);
  }
  const sourceWidth = source instanceof HTMLImageElement ? source.naturalWidth : source.width;
  const sourceHeight = source instanceof HTMLImageElement ? source.naturalHeight : source.height;
  if (!sourceWidth || !sourceHeight) throw new UnreadablePhotoError(file.name);
  const { width, height } = scaleToLongEdge(sourceWidth, sourceHeight, PHOTO_MAX_LONG_EDGE);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d canvas');
  // JPEG has no transparency: a PNG screenshot with an alpha channel gets a white ground, not black.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, 0, 0, width, height);
  if (!(source instanceof HTMLImageElement)) source.close();
  const blob = await toJpeg(canvas);
  return { id: crypto.randomUUID(), blob, width, height };
}
