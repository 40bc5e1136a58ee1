import type { Rollup } from 'vite';
import { describe, expect, it } from 'vitest';
import { fieldPageFiles } from './precache-plugin.ts';

interface ChunkSketch {
  modules: string[];
  imports?: string[];
  lazy?: string[];
  css?: string[];
  assets?: string[];
  entry?: boolean;
}

/** A bundle as Vite hands it to generateBundle, with only the fields the precache list reads. */
function bundleOf(chunks: Record<string, ChunkSketch>): Rollup.OutputBundle {
  const bundle: Record<string, unknown> = {};
  for (const [fileName, chunk] of Object.entries(chunks)) {
    bundle[fileName] = {
      type: 'chunk',
      fileName,
      isEntry: chunk.entry ?? false,
      moduleIds: chunk.modules.map((module) => `/repo/${module}`),
      imports: chunk.imports ?? [],
      dynamicImports: chunk.lazy ?? [],
      viteMetadata: { importedCss: new Set(chunk.css ?? []), importedAssets: new Set(chunk.assets ?? []) },
    };
  }
  bundle['assets/noto-1.woff2'] = { type: 'asset', fileName: 'assets/noto-1.woff2' };
  return bundle as unknown as Rollup.OutputBundle;
}

describe('the field page precache list, read from the build graph', () => {
  it('keeps the shell, the field route and what it imports; leaves the command view, deck.gl and the fonts out', () => {
    const bundle = bundleOf({
      'assets/index.js': {
        entry: true,
        modules: ['web/main.tsx', 'web/app.tsx'],
        imports: ['assets/react.js'],
        lazy: ['assets/field-view.js', 'assets/command-view.js'],
        css: ['assets/index.css'],
        assets: ['assets/noto-1.woff2'],
      },
      'assets/react.js': { modules: ['node_modules/react/index.js'] },
      'assets/field-view.js': {
        modules: ['web/field/field-view.tsx', 'web/field/outbox.ts'],
        imports: ['assets/maplibre.js'],
        css: ['assets/field-view.css'],
      },
      'assets/maplibre.js': {
        modules: ['node_modules/maplibre-gl/dist/maplibre-gl.js'],
        assets: ['assets/maplibre-gl-worker.mjs'],
      },
      'assets/command-view.js': {
        modules: ['web/command/command-view.tsx'],
        imports: ['assets/maplibre.js'],
        lazy: ['assets/deck-overlay.js'],
      },
      'assets/deck-overlay.js': { modules: ['web/map/deck-overlay.ts'] },
    });
    expect([...fieldPageFiles(bundle)].sort()).toEqual([
      'assets/field-view.css',
      'assets/field-view.js',
      'assets/index.css',
      'assets/index.js',
      'assets/maplibre-gl-worker.mjs',
      'assets/maplibre.js',
      'assets/react.js',
      'index.html',
    ]);
  });

  it('follows a lazy import out of the field route only into another chunk of the field page', () => {
    const bundle = bundleOf({
      'assets/index.js': {
        entry: true,
        modules: ['web/main.tsx', 'web/field/field-view.tsx'],
        lazy: ['assets/deck-overlay.js', 'assets/my-work.js'],
      },
      'assets/deck-overlay.js': { modules: ['web/map/deck-overlay.ts'] },
      'assets/my-work.js': { modules: ['web/field/my-work.tsx'] },
    });
    expect([...fieldPageFiles(bundle)].sort()).toEqual(['assets/index.js', 'assets/my-work.js', 'index.html']);
  });

  it('leaves out the field map, loaded on demand, with the map library and its worker', () => {
    const bundle = bundleOf({
      'assets/index.js': { entry: true, modules: ['web/main.tsx'], lazy: ['assets/field-view.js'] },
      'assets/field-view.js': { modules: ['web/field/field-view.tsx'], lazy: ['assets/field-map.js', 'assets/photos.js'] },
      'assets/field-map.js': { modules: ['web/field/field-map.ts'], imports: ['assets/maplibre.js'] },
      'assets/maplibre.js': {
        modules: ['node_modules/maplibre-gl/dist/maplibre-gl.js'],
        assets: ['assets/maplibre-gl-worker.mjs'],
      },
      'assets/photos.js': { modules: ['web/field/photos.ts'] },
    });
    expect([...fieldPageFiles(bundle)].sort()).toEqual([
      'assets/field-view.js',
      'assets/index.js',
      'assets/photos.js',
      'index.html',
    ]);
  });

  it('refuses a build in which no chunk holds the field page', () => {
    const bundle = bundleOf({ 'assets/index.js': { entry: true, modules: ['web/main.tsx'] } });
    expect(() => fieldPageFiles(bundle)).toThrow(/web\/field/);
  });
});
