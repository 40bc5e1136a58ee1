import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { BUILD_INPUTS_FILE, type BuildInputs, changedInput } from './build-inputs.ts';

/** Why the client is (re)built, or why it is served as it is. */
export type WebClientState =
  | { status: 'current' }
  | { status: 'built'; reason: string; seconds: number }
  /** Built by hand or shipped without a stamp, and no vite here to check it with: served as it is. */
  | { status: 'as-is'; reason: string }
  | { status: 'failed'; reason: string; output: string };

export interface WebClientOptions {
  /** The repository root (where vite.config.ts and web/ live). */
  root: string;
  /** Told before a build starts, so a slow first start says what it is doing. */
  onBuild?: (reason: string) => void;
}

const LOCK_STALE_MS = 5 * 60_000;

/**
 * Makes sure dist/web holds a build of the current sources before the server serves it: builds
 * when it is missing or when a file it was built from has changed since (see build-inputs.ts), so
 * `npm install` + `npm start` on a fresh clone serve the app, and a developer who edits the client
 * and restarts gets the new one. The build runs `vite build` in a child process, so the bundler
 * never lives in the server's heap. Several servers starting in one checkout build once: a lock
 * folder makes the others wait and then find the build current.
 */
export async function ensureWebClient({ root, onBuild }: WebClientOptions): Promise<WebClientState> {
  const reason = staleness(root);
  if (!reason) return { status: 'current' };
  const viteBin = findViteBin(root);
  if (!viteBin) {
    if (existsSync(join(root, 'dist/web/index.html'))) return { status: 'as-is', reason: `${reason}; vite is not installed` };
    return { status: 'failed', reason: `${reason}, and vite is not installed (npm install without --omit=dev)`, output: '' };
  }
  const lock = join(root, 'dist/.web-build.lock');
  await acquire(lock);
  try {
    // Another server may have built it while this one waited for the lock.
    const again = staleness(root);
    if (!again) return { status: 'current' };
    onBuild?.(again);
    const started = performance.now();
    const { code, output } = await run(process.execPath, [viteBin, 'build'], root);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) return { status: 'failed', reason: `vite build exited with ${code}`, output };
    return { status: 'built', reason: again, seconds };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Null when dist/web is a build of the sources as they are now; else what makes it stale. */
export function staleness(root: string): string | null {
  if (!existsSync(join(root, 'dist/web/index.html'))) return 'dist/web is missing';
  const stampFile = join(root, BUILD_INPUTS_FILE);
  if (!existsSync(stampFile)) return 'dist/web has no record of its sources';
  let stamp: BuildInputs;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as BuildInputs;
  } catch {
    return 'the record of its sources is unreadable';
  }
  const changed = changedInput(root, stamp);
  return changed ? `${changed} changed since the last build` : null;
}

function findViteBin(root: string): string | null {
  try {
    const packageJson = createRequire(join(root, 'package.json')).resolve('vite/package.json');
    const bin = join(dirname(packageJson), 'bin/vite.js');
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** Takes the lock folder, waiting while another process holds it (a holder that died leaves it stale). */
async function acquire(lock: string): Promise<void> {
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
    } catch {
      // Gone between the two calls: try again.
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: resolve(cwd), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', fail);
    child.once('exit', (code) => done({ code: code ?? 1, output }));
  });
}
