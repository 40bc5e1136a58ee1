import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * What a build of the web client was made from: each source file it read (repo-relative path)
 * with the SHA-1 of its content. A build is current while every one of these files still has
 * that content; a new file only matters once an existing input changes to import it, and that
 * change shows. Content, not mtime: a fresh clone or a branch switch touches every mtime.
 */
export interface BuildInputs {
  /** Repo-relative path → SHA-1 hex of the file's bytes. */
  files: Record<string, string>;
}

/**
 * Files that shape the build besides the modules it imports: the build's own configuration, the
 * installed packages (whose versions the lock file fixes), and the service worker's source, which
 * vite-plugin-pwa bundles in a build of its own that the stamp's plugin does not see.
 */
export const ALWAYS_INPUTS: readonly string[] = [
  'vite.config.ts',
  'package-lock.json',
  'web/index.html',
  'api/web-client/precompress.ts',
  'api/web-client/precompress-plugin.ts',
  'web/offline/service-worker.ts',
];

/** The stamp beside the built client, outside the folder the server publishes. */
export const BUILD_INPUTS_FILE = 'dist/web-build-inputs.json';

function hashFile(path: string): string | null {
  try {
    return createHash('sha1').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * Turns the module ids a bundler reports into the repo's own source files: virtual modules
 * (`\0…`), query suffixes (`?url`) and anything in node_modules (pinned by the lock file) are left out.
 */
export function sourceFilesOf(moduleIds: Iterable<string>, root: string): string[] {
  const files = new Set<string>(ALWAYS_INPUTS);
  for (const id of moduleIds) {
    if (id.startsWith('\0')) continue;
    const path = id.split('?')[0] ?? '';
    if (!isAbsolute(path) || path.includes('/node_modules/')) continue;
    const repoPath = relative(root, path);
    if (repoPath.startsWith('..')) continue;
    files.add(repoPath.split('\\').join('/'));
  }
  return [...files].sort();
}

export function hashInputs(root: string, repoPaths: Iterable<string>): BuildInputs {
  const files: Record<string, string> = {};
  for (const repoPath of repoPaths) files[repoPath] = hashFile(resolve(root, repoPath)) ?? 'missing';
  return { files };
}

/** The first input whose content differs from the stamp's, or null when the build is current. */
export function changedInput(root: string, stamp: BuildInputs): string | null {
  for (const [repoPath, hash] of Object.entries(stamp.files)) {
    if ((hashFile(resolve(root, repoPath)) ?? 'missing') !== hash) return repoPath;
  }
  for (const repoPath of ALWAYS_INPUTS) if (!(repoPath in stamp.files)) return repoPath;
  return null;
}
