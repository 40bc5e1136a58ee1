import { posix } from 'node:path';
import { type ImportEdge, importsOf } from './import-scanner.ts';

/** A source file by its path from the repository root (forward slashes) and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** What an import points at: a file of this repository (root-relative) or a package. */
type Target = { kind: 'file'; path: string } | { kind: 'package'; name: string };

/** One import that breaks a layer rule. */
export interface LayerViolation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

/**
 * A web/ file that still imports values from api/ outside the vocabulary, until the shared
 * vocabulary (api/vocabulary/) takes those values over. The list may only shrink: an entry that
 * no longer matches an import is reported too, so it is deleted when its import goes.
 */
export interface PendingImport {
  file: string;
  specifier: string;
}

/**
 * Value imports from api/ that web/ makes today outside api/vocabulary/ (the live stream's pulse).
 * Until they move, web/ bundles server modules.
 */
export const PENDING_VOCABULARY: readonly PendingImport[] = [];

/** Packages geo/ may use: geometry and its maths, nothing that draws, serves, stores or fetches. */
const GEO_PACKAGES = new Set(['@turf/turf', 'd3-delaunay', 'gcoord']);
/** Packages only a test may add, in any layer. */
const TEST_PACKAGES = new Set(['vitest', 'fast-check', 'fake-indexeddb']);

const GEO_RULE =
  'geo/ is pure geometry: it imports only geo/ files, @turf/*, d3-delaunay, gcoord and GeoJSON types (no framework, database, map library, node: module or app code)';
const VOCABULARY_RULE =
  'api/vocabulary/ is the domain vocabulary web/ and api/ share: it imports only zod, other vocabulary files and geo/';
const WEB_FROM_API_RULE =
  'web/ imports from api/ only with `import type`, or values from api/vocabulary/ (the shared vocabulary)';
const API_FROM_WEB_RULE =
  'api/ imports no module of web/ (api/web-client builds and serves web/ by path, through vite, never by import)';
const NO_TESTS_RULE = 'geo/, api/ and web/ never import from tests/';

function isTestFile(path: string): boolean {
  return /\.test\.tsx?$/.test(path);
}

function layerOf(path: string): 'geo' | 'vocabulary' | 'api' | 'web' | 'tests' | 'other' {
  if (path.startsWith('geo/')) return 'geo';
  if (path.startsWith('api/vocabulary/')) return 'vocabulary';
  if (path.startsWith('api/')) return 'api';
  if (path.startsWith('web/')) return 'web';
  if (path.startsWith('tests/')) return 'tests';
  return 'other';
}

/** Vite's `?url`, `?raw` and similar suffixes do not change which module is meant. */
function withoutQuery(specifier: string): string {
  const query = specifier.indexOf('?');
  return query === -1 ? specifier : specifier.slice(0, query);
}

function targetOf(file: string, specifier: string): Target {
  const bare = withoutQuery(specifier);
  if (bare.startsWith('.') || bare.startsWith('/')) {
    return { kind: 'file', path: posix.normalize(posix.join(posix.dirname(file), bare)) };
  }
  const parts = bare.split('/');
  const name = bare.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? bare);
  return { kind: 'package', name };
}

/** The rule an import breaks, or undefined when it keeps to its layer. */
function brokenRule(file: string, edge: ImportEdge): string | undefined {
  const layer = layerOf(file);
  const target = targetOf(file, edge.specifier);
  if (target.kind === 'file' && layerOf(target.path) === 'tests' && layer !== 'tests' && layer !== 'other') {
    return NO_TESTS_RULE;
  }
  const testPackage = target.kind === 'package' && isTestFile(file) && TEST_PACKAGES.has(target.name);

  switch (layer) {
    case 'geo': {
      if (target.kind === 'file') return layerOf(target.path) === 'geo' ? undefined : GEO_RULE;
      if (testPackage || GEO_PACKAGES.has(target.name) || target.name.startsWith('@turf/')) return undefined;
      if (target.name === 'geojson' && edge.typeOnly) return undefined;
      return GEO_RULE;
    }
    case 'vocabulary': {
      if (target.kind === 'file') {
        const targetLayer = layerOf(target.path);
        return targetLayer === 'vocabulary' || targetLayer === 'geo' ? undefined : VOCABULARY_RULE;
      }
      return testPackage || target.name === 'zod' ? undefined : VOCABULARY_RULE;
    }
    case 'api':
      return target.kind === 'file' && layerOf(target.path) === 'web' ? API_FROM_WEB_RULE : undefined;
    case 'web': {
      if (target.kind !== 'file' || layerOf(target.path) !== 'api') return undefined;
      return edge.typeOnly ? undefined : WEB_FROM_API_RULE;
    }
    default:
      return undefined;
  }
}

/**
 * Every import in `files` that breaks a layer rule, except those on the pending list; plus every
 * pending entry that no longer matches an import (its line is 0 and its rule says to delete it).
 */
export function checkLayers(files: readonly SourceFile[], pending: readonly PendingImport[] = []): LayerViolation[] {
  const violations: LayerViolation[] = [];
  const usedPending = new Set<PendingImport>();
  for (const file of files) {
    for (const edge of importsOf(file.path, file.text)) {
      const rule = brokenRule(file.path, edge);
      if (!rule) continue;
      const waiting = pending.find((entry) => entry.file === file.path && entry.specifier === edge.specifier);
      if (waiting && rule === WEB_FROM_API_RULE) {
        usedPending.add(waiting);
        continue;
      }
      violations.push({ file: file.path, line: edge.line, specifier: edge.specifier, rule });
    }
  }
  for (const entry of pending) {
    if (usedPending.has(entry)) continue;
    violations.push({
      file: entry.file,
      line: 0,
      specifier: entry.specifier,
      rule: 'this value import is gone: delete its entry from PENDING_VOCABULARY in tests/fences/layer-rules.ts',
    });
  }
  return violations;
}

/** `file:line  import 'specifier'  rule`, one violation per line, for a terminal or a test failure. */
export function formatViolations(violations: readonly LayerViolation[]): string {
  return violations.map((v) => `${v.file}:${v.line}  import '${v.specifier}'\n  ${v.rule}`).join('\n');
}
