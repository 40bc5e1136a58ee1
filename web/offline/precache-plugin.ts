import type { Plugin, PluginOption, Rollup } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import type { ManifestTransform } from 'workbox-build';

/** A module of the field page: its chunk, the chunks it imports and its styles are what the phone keeps. */
const FIELD_MODULE = /[\\/]web[\\/]field[\\/]/;
/** The field route itself: kept with everything it imports statically. */
const FIELD_ROUTE = /[\\/]web[\\/]field[\\/]field-view\.tsx$/;
/**
 * The map library. The field page opens its map on demand, and offline the map has no tiles to
 * show (the page says so and offers GPS or typed coordinates), so a lazy chunk that needs the map
 * library is not kept up front: it would be most of a first visit's download on a rural link.
 */
const MAP_LIBRARY = /[\\/]node_modules[\\/]maplibre-gl[\\/]/;
/** The font subsets are cached as the page uses them (see FONT_CACHE in offline-routes.ts), not up front. */
const RUNTIME_CACHED = /\.woff2$/;
/** Above Workbox's 2 MB default: until the bundle is split by route, the app's one script is larger. */
const MAX_PRECACHED_FILE_BYTES = 8 * 1024 * 1024;

function isChunk(output: Rollup.OutputAsset | Rollup.OutputChunk): output is Rollup.OutputChunk {
  return output.type === 'chunk';
}

/**
 * The files the field page needs to open and work offline, read from the build's own module graph:
 * the entry chunks and every chunk holding a module of web/field/, with the chunks they import
 * statically, their CSS and the assets they reference, plus index.html. A lazy import is followed
 * only into a chunk that holds a field module (the field route's own chunk) and does not need the
 * map library (the place picker's map, loaded on demand and of no use without tiles). It
 * follows whatever chunks the build emits, so a route split or a renamed chunk needs no change
 * here; the command view's lazy chunks (deck.gl) stay out.
 */
export function fieldPageFiles(bundle: Rollup.OutputBundle): Set<string> {
  const chunks = Object.values(bundle).filter(isChunk);
  const byFileName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const holdsField = (chunk: Rollup.OutputChunk) => chunk.moduleIds.some((id) => FIELD_MODULE.test(id));
  const needsMap = (chunk: Rollup.OutputChunk, seen = new Set<string>()): boolean => {
    if (seen.has(chunk.fileName)) return false;
    seen.add(chunk.fileName);
    if (chunk.moduleIds.some((id) => MAP_LIBRARY.test(id))) return true;
    return chunk.imports.some((imported) => {
      const next = byFileName.get(imported);
      return next ? needsMap(next, seen) : false;
    });
  };
  if (!chunks.some(holdsField)) throw new Error('no chunk holds a module of web/field/: the field page cannot be precached');

  const files = new Set<string>(['index.html']);
  const visit = (chunk: Rollup.OutputChunk | undefined) => {
    if (!chunk || files.has(chunk.fileName)) return;
    files.add(chunk.fileName);
    const metadata = (chunk as Rollup.OutputChunk & { viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } })
      .viteMetadata;
    for (const css of metadata?.importedCss ?? []) files.add(css);
    for (const asset of metadata?.importedAssets ?? []) if (!RUNTIME_CACHED.test(asset)) files.add(asset);
    for (const imported of chunk.imports) visit(byFileName.get(imported));
    for (const lazy of chunk.dynamicImports) {
      const target = byFileName.get(lazy);
      if (target && holdsField(target) && !needsMap(target)) visit(target);
    }
  };
  const holdsFieldRoute = (chunk: Rollup.OutputChunk) => chunk.moduleIds.some((id) => FIELD_ROUTE.test(id));
  for (const chunk of chunks) if (chunk.isEntry || holdsFieldRoute(chunk)) visit(chunk);
  return files;
}

/**
 * The offline field page at build time: the service worker (web/offline/service-worker.ts, bundled
 * with Workbox into `service-worker.js` at the root of dist/web) and its precache list, cut to
 * {@link fieldPageFiles}. The page registers the worker itself (app-updates.ts); no web manifest.
 */
export function offlineFieldPage(): PluginOption[] {
  let needed: Set<string> | null = null;

  const graph: Plugin = {
    name: 'grid-command:field-precache',
    apply: 'build',
    generateBundle(_options, bundle) {
      needed = fieldPageFiles(bundle);
    },
  };

  const keepFieldFiles: ManifestTransform = (entries) => {
    if (!needed) throw new Error('the field page files were not read from the bundle');
    const manifest = entries.filter((entry) => needed?.has(entry.url));
    const found = new Set(manifest.map((entry) => entry.url));
    const missing = [...needed].filter((file) => !found.has(file));
    if (missing.length > 0) throw new Error(`the precache globs miss files the field page needs: ${missing.join(', ')}`);
    return { manifest, warnings: [] };
  };

  return [
    graph,
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'offline',
      filename: 'service-worker.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        rollupFormat: 'iife',
        globPatterns: ['**/*.{html,js,mjs,css}'],
        maximumFileSizeToCacheInBytes: MAX_PRECACHED_FILE_BYTES,
        // Every file under assets/ has its content hash in its name: Workbox then keeps it without a
        // revision and fetches it through the browser's HTTP cache, which already holds what the
        // page just loaded, instead of downloading the field page a second time on a rural link.
        dontCacheBustURLsMatching: /^assets\//,
        manifestTransforms: [keepFieldFiles],
      },
    }),
  ];
}
