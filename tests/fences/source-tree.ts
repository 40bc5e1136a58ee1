import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceFile } from './layer-rules.ts';

/** The folders whose code the fences read: the three layers and the tests. */
const SOURCE_ROOTS = ['api', 'geo', 'web', 'tests'] as const;

/** Files whose imports the layer fence reads. */
const SCRIPT_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'screenshots']);

/**
 * Every file under `roots` of `repoRoot` whose name matches `names` (scripts by default), with its path from the root in forward slashes,
 * sorted so a report reads the same on every machine. Read from disk, not from git, so a new file
 * is fenced before it is committed.
 */
export function readSourceTree(repoRoot: string, roots: readonly string[] = SOURCE_ROOTS, names = SCRIPT_FILE): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (folder: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path);
      } else if (names.test(entry.name)) {
        files.push({ path: relative(repoRoot, path).split(sep).join('/'), text: readFileSync(path, 'utf8') });
      }
    }
  };
  for (const root of roots) walk(join(repoRoot, root));
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
