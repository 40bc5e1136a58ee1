import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { precompressFolder } from './precompress.ts';

/**
 * Vite plugin: once the client is written, puts a Brotli and a gzip copy beside each compressible
 * file (precompress.ts), for static-files.ts to send by Accept-Encoding. Runs last, after any
 * plugin that adds files of its own to the output.
 */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'grid-command:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const started = performance.now();
        const files = await precompressFolder(outDir);
        const total = (pick: (file: (typeof files)[number]) => number | null) =>
          files.reduce((sum, file) => sum + (pick(file) ?? file.bytes), 0);
        const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
        this.environment.logger.info(
          `precompressed ${files.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s: ${kb(total((file) => file.bytes))} → brotli ${kb(total((file) => file.br))}, gzip ${kb(total((file) => file.gzip))}`,
        );
      },
    },
  };
}
