import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The web client lives in web/; `npm run build` writes it to dist/web, which the API server serves. */
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/tiles': 'http://127.0.0.1:3000',
      '/healthz': 'http://127.0.0.1:3000',
    },
  },
});
