import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { BUILD_INPUTS_FILE, hashInputs, sourceFilesOf } from './api/web-client/build-inputs.ts';
import { precompress } from './api/web-client/precompress-plugin.ts';
import { offlineFieldPage } from './web/offline/precache-plugin.ts';

const ROOT = import.meta.dirname;

/**
 * Writes which source files the build read, with their content hashes, beside dist/web: the
 * server rebuilds the client at start when one of them has changed (api/web-client/build.ts).
 */
function buildInputsStamp(): Plugin {
  const moduleIds = new Set<string>();
  return {
    name: 'gcc-build-inputs',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type === 'chunk') for (const id of output.moduleIds) moduleIds.add(id);
      }
    },
    closeBundle() {
      const stamp = hashInputs(ROOT, sourceFilesOf(moduleIds, ROOT));
      const file = resolve(ROOT, BUILD_INPUTS_FILE);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(stamp, null, 1)}\n`);
    },
  };
}

/** The web client lives in web/; `npm run build` writes it to dist/web, which the API server serves. */
export default defineConfig({
  root: 'web',
  plugins: [
    react(),
    buildInputsStamp(),
    // The field page's service worker and its precache list, read from the build's module graph.
    offlineFieldPage(),
    // Brotli and gzip copies of every compressible file, for the server to send as they are.
    precompress(),
  ],
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/tiles': 'http://127.0.0.1:3000',
      '/healthz': 'http://127.0.0.1:3000',
    },
  },
});
