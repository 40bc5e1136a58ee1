import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Files that compress: text. Fonts (woff2), images and anything already compressed are sent as they are. */
const COMPRESSIBLE_EXTENSIONS = new Set([
  '.js',
  '.mjs',
  '.css',
  '.html',
  '.json',
  '.svg',
  '.txt',
  '.webmanifest',
  '.xml',
  '.wasm',
]);

/** Below this a response fits in one packet either way; compressing it gains nothing worth a second file. */
export const MIN_BYTES = 1024;

/** The encodings written beside each file, by the suffix that names them (`app.js.br`, `app.js.gz`). */
export const ENCODING_SUFFIXES = { br: '.br', gzip: '.gz' } as const;
export type ContentCoding = keyof typeof ENCODING_SUFFIXES;

export interface PrecompressedFile {
  /** Path inside the folder, with `/`. */
  path: string;
  bytes: number;
  /** Bytes of each variant written; an encoding that did not make the file smaller is not written. */
  br: number | null;
  gzip: number | null;
}

export function isCompressible(path: string): boolean {
  return COMPRESSIBLE_EXTENSIONS.has(extname(path).toLowerCase());
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Writes `file.br` (Brotli, best quality) and `file.gz` (gzip, level 9) beside every compressible
 * file of a built folder, once, at build time: the server then sends the smaller variant the
 * browser accepts without compressing anything per request. A variant that comes out no smaller
 * than the file is not written. The files are compressed in parallel on libuv's thread pool.
 */
export async function precompressFolder(folder: string): Promise<PrecompressedFile[]> {
  const files = (await filesUnder(folder)).filter(isCompressible);
  const written = await Promise.all(
    files.map(async (file): Promise<PrecompressedFile | null> => {
      if ((await stat(file)).size < MIN_BYTES) return null;
      const body = await readFile(file);
      const [br, gz] = await Promise.all([
        brotli(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        }),
        gzipAsync(body, { level: 9 }),
      ]);
      const keep = async (variant: Buffer, suffix: string) => {
        if (variant.length >= body.length) return null;
        await writeFile(`${file}${suffix}`, variant);
        return variant.length;
      };
      return {
        path: relative(folder, file).split('\\').join('/'),
        bytes: body.length,
        br: await keep(br, ENCODING_SUFFIXES.br),
        gzip: await keep(gz, ENCODING_SUFFIXES.gzip),
      };
    }),
  );
  return written.filter((entry) => entry !== null);
}
