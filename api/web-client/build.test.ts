import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureWebClient, staleness } from './build.ts';
import { ALWAYS_INPUTS, BUILD_INPUTS_FILE, hashInputs, sourceFilesOf } from './build-inputs.ts';

const roots: string[] = [];

/** A checkout in a temporary folder: the given files, written for real. */
function checkout(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gcc-web-build-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) write(root, path, text);
  return root;
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const SOURCES = {
  'vite.config.ts': 'export default {}',
  'package-lock.json': '{}',
  'web/index.html': '<div id="root"></div>',
  'web/main.tsx': 'import "./app.tsx"',
  'web/app.tsx': 'export const App = 1',
};

/** Writes a build and its stamp, as the vite plugin does after a build of `inputs`. */
function built(root: string, inputs: string[]): void {
  write(root, 'dist/web/index.html', '<script type="module" src="/assets/index.js"></script>');
  write(root, BUILD_INPUTS_FILE, JSON.stringify(hashInputs(root, sourceFilesOf(inputs, root))));
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('staleness of the built web client', () => {
  it('names a missing build', () => {
    expect(staleness(checkout(SOURCES))).toBe('dist/web is missing');
  });

  it('is current right after a build of the same sources', () => {
    const root = checkout(SOURCES);
    built(root, [join(root, 'web/main.tsx'), join(root, 'web/app.tsx')]);
    expect(staleness(root)).toBeNull();
  });

  it.each([
    ['web/app.tsx', 'export const App = 2'],
    ['package-lock.json', '{"lockfileVersion":3}'],
    ['vite.config.ts', 'export default { base: "/x/" }'],
    ['web/index.html', '<div id="app"></div>'],
  ])('is stale once %s changes', (path, text) => {
    const root = checkout(SOURCES);
    built(root, [join(root, 'web/main.tsx'), join(root, 'web/app.tsx')]);
    write(root, path, text);
    expect(staleness(root)).toBe(`${path} changed since the last build`);
  });

  it('is stale when an input is deleted, and not when an unrelated file appears', () => {
    const root = checkout(SOURCES);
    built(root, [join(root, 'web/main.tsx'), join(root, 'web/app.tsx')]);
    write(root, 'web/unused.tsx', 'export {}');
    expect(staleness(root)).toBeNull();
    rmSync(join(root, 'web/app.tsx'));
    expect(staleness(root)).toBe('web/app.tsx changed since the last build');
  });

  it('is stale without a record of the sources (a build from before the record existed)', () => {
    const root = checkout(SOURCES);
    write(root, 'dist/web/index.html', '<html></html>');
    expect(staleness(root)).toBe('dist/web has no record of its sources');
  });
});

describe('the inputs a build records', () => {
  it('keeps the repo’s own files and leaves out virtual modules, queries and packages', () => {
    const root = '/repo';
    const files = sourceFilesOf(
      [
        '\0vite/preload-helper',
        '/repo/web/fonts.ts',
        '/repo/web/styles.css?inline',
        '/repo/node_modules/react/index.js',
        '/elsewhere/x.ts',
      ],
      root,
    );
    expect(files).toEqual([...new Set([...ALWAYS_INPUTS, 'web/fonts.ts', 'web/styles.css'])].sort());
  });
});

describe('ensureWebClient', () => {
  it('reports a missing build that cannot be made, rather than serving nothing silently', async () => {
    const root = checkout(SOURCES);
    const state = await ensureWebClient({ root });
    expect(state).toMatchObject({ status: 'failed' });
    expect(state.status === 'failed' && state.reason).toContain('vite is not installed');
  });

  it('does not build a current client', async () => {
    const root = checkout(SOURCES);
    built(root, [join(root, 'web/main.tsx')]);
    let asked = false;
    expect(await ensureWebClient({ root, onBuild: () => (asked = true) })).toEqual({ status: 'current' });
    expect(asked).toBe(false);
  });
});
