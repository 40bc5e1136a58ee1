import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf } from './import-scanner.ts';
import { checkLayers, formatViolations, PENDING_VOCABULARY, type SourceFile } from './layer-rules.ts';
import { readSourceTree } from './source-tree.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

function tree(files: Record<string, string>): SourceFile[] {
  return Object.entries(files).map(([path, text]) => ({ path, text }));
}

function brokenImports(files: Record<string, string>): string[] {
  return checkLayers(tree(files)).map((v) => `${v.file}:${v.line} ${v.specifier}`);
}

describe('the import scanner', () => {
  it('sees static, re-exported, dynamic and type-position imports and tells type-only ones apart', () => {
    const source = [
      "import type { A } from './a.ts';",
      "import { type B } from './b.ts';",
      "import c from './c.ts';",
      "import './d.css';",
      "export type { E } from './e.ts';",
      "export { f } from './f.ts';",
      "export * from './g.ts';",
      "const h = () => import('./h.ts');",
      "type I = typeof import('./i.ts');",
      "import worker from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';",
    ].join('\n');
    expect(importsOf('web/x.ts', source)).toEqual([
      { line: 1, specifier: './a.ts', typeOnly: true },
      { line: 2, specifier: './b.ts', typeOnly: false },
      { line: 3, specifier: './c.ts', typeOnly: false },
      { line: 4, specifier: './d.css', typeOnly: false },
      { line: 5, specifier: './e.ts', typeOnly: true },
      { line: 6, specifier: './f.ts', typeOnly: false },
      { line: 7, specifier: './g.ts', typeOnly: false },
      { line: 8, specifier: './h.ts', typeOnly: false },
      { line: 9, specifier: './i.ts', typeOnly: true },
      { line: 10, specifier: 'maplibre-gl/dist/maplibre-gl-worker.mjs?url', typeOnly: false },
    ]);
  });
});

describe('the layer rules', () => {
  it('refuse app code, a database and a map library in geo/, and let geometry through', () => {
    const broken = brokenImports({
      'geo/leaky.ts': [
        "import { AppError } from '../api/errors.ts';",
        "import { sql } from 'drizzle-orm';",
        "import maplibregl from 'maplibre-gl';",
        "import { readFileSync } from 'node:fs';",
        "import { useState } from 'react';",
        "import type { Polygon } from 'geojson';",
        "import * as turf from '@turf/turf';",
        "import area from '@turf/area';",
        "import { Delaunay } from 'd3-delaunay';",
        "import { levelOfCode } from './area-codes.ts';",
        "import reference from './data/reference.json';",
        "const web = () => import('../web/app.tsx');",
        "import { expect } from 'vitest';",
      ].join('\n'),
      'geo/area-codes.test.ts': "import { expect } from 'vitest';\nimport fc from 'fast-check';",
    });
    expect(broken).toEqual([
      'geo/leaky.ts:1 ../api/errors.ts',
      'geo/leaky.ts:2 drizzle-orm',
      'geo/leaky.ts:3 maplibre-gl',
      'geo/leaky.ts:4 node:fs',
      'geo/leaky.ts:5 react',
      'geo/leaky.ts:12 ../web/app.tsx',
      'geo/leaky.ts:13 vitest',
    ]);
  });

  it('refuse GeoJSON as a value import in geo/ (the geojson package is types only)', () => {
    expect(brokenImports({ 'geo/x.ts': "import { Polygon } from 'geojson';" })).toEqual(['geo/x.ts:1 geojson']);
  });

  it('let web/ take types from api/ and values only from the vocabulary and geo/', () => {
    const broken = brokenImports({
      'web/field/form.tsx': [
        "import type { AppType } from '../../api/app.ts';",
        "import { REPORT_TYPES } from '../../api/reports/report-types.ts';",
        "import { type Role } from '../../api/auth/permissions.ts';",
        "import { CASE_STATES } from '../../api/vocabulary/case-states.ts';",
        "import { levelOfCode } from '../../geo/area-codes.ts';",
        "export { LIVE_STALL_MS } from '../../api/live/keep-alive.ts';",
        "export type { LiveCase } from '../../api/live/events.ts';",
        "const lazy = () => import('../../api/cases/workflow.ts');",
      ].join('\n'),
    });
    expect(broken).toEqual([
      'web/field/form.tsx:2 ../../api/reports/report-types.ts',
      'web/field/form.tsx:3 ../../api/auth/permissions.ts',
      'web/field/form.tsx:6 ../../api/live/keep-alive.ts',
      'web/field/form.tsx:8 ../../api/cases/workflow.ts',
    ]);
  });

  it('keep the vocabulary to zod, itself and geo/', () => {
    const broken = brokenImports({
      'api/vocabulary/roles.ts': [
        "import { z } from 'zod';",
        "import { URGENCIES } from './urgencies.ts';",
        "import { levelOfCode } from '../../geo/area-codes.ts';",
        "import type { Context } from 'hono';",
        "import { AppError } from '../errors.ts';",
        "import { sql } from 'drizzle-orm';",
      ].join('\n'),
    });
    expect(broken).toEqual([
      'api/vocabulary/roles.ts:4 hono',
      'api/vocabulary/roles.ts:5 ../errors.ts',
      'api/vocabulary/roles.ts:6 drizzle-orm',
    ]);
  });

  it('keep web/ out of api/ and tests/ out of every layer', () => {
    const broken = brokenImports({
      'api/web-client/serve.ts': "import { ROUTES } from '../../web/routes.ts';\nimport type { Plugin } from 'vite';",
      'api/cases/service.ts': "import { freshDatabase } from '../../tests/integration/support/test-database.ts';",
      'web/app.tsx': "import type { Harness } from '../tests/e2e/harness.ts';",
      'geo/x.ts': "import { SEED } from '../tests/fixtures.ts';",
      'tests/integration/x.test.ts': "import { app } from '../../api/app.ts';\nimport { App } from '../../web/app.tsx';",
    });
    expect(broken).toEqual([
      'api/web-client/serve.ts:1 ../../web/routes.ts',
      'api/cases/service.ts:1 ../../tests/integration/support/test-database.ts',
      'web/app.tsx:1 ../tests/e2e/harness.ts',
      'geo/x.ts:1 ../tests/fixtures.ts',
    ]);
  });

  it('wave through a pending vocabulary import and ask for a pending entry to go once its import has', () => {
    const pending = [{ file: 'web/a.ts', specifier: '../api/reports/report-types.ts' }];
    const withImport = tree({ 'web/a.ts': "import { URGENCIES } from '../api/reports/report-types.ts';" });
    expect(checkLayers(withImport, pending)).toEqual([]);
    const moved = tree({ 'web/a.ts': "import { URGENCIES } from '../api/vocabulary/report-types.ts';" });
    expect(formatViolations(checkLayers(moved, pending))).toMatch(/web\/a\.ts:0 .*\n.*delete its entry/);
  });
});

describe('this repository', () => {
  it('keeps every import to its layer', () => {
    const violations = checkLayers(readSourceTree(REPO_ROOT), PENDING_VOCABULARY);
    expect(formatViolations(violations)).toBe('');
  });

  it('`npm run check:layers` fails on a tree that crosses a fence, naming file, line, import and rule', () => {
    const root = mkdtempSync(join(tmpdir(), 'fences-'));
    try {
      const files = {
        'geo/leaky.ts': "import { AppError } from '../api/errors.ts';\nimport { sql } from 'drizzle-orm';\n",
        'web/form.tsx': "import { REPORT_TYPES } from '../api/reports/report-types.ts';\n",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'tests/fences/check-layers.ts'), root], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("geo/leaky.ts:1  import '../api/errors.ts'\n  geo/ is pure geometry");
      expect(run.stderr).toContain("geo/leaky.ts:2  import 'drizzle-orm'");
      expect(run.stderr).toContain("web/form.tsx:1  import '../api/reports/report-types.ts'\n  web/ imports from api/ only");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
