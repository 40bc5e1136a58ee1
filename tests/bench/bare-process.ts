import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../api/node-flags.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * PostgreSQL session options for the floor. The API server's tile queries never run with
 * parallel workers (its scope function is not parallel safe), and here starting them costs more
 * than they save: a fresh, analysed county measured 111 tiles/s with them and 249 without, on
 * one client. The floor is measured the fast way, so the server is compared with the best the
 * database does.
 */
const WITHOUT_PARALLEL_WORKERS = '-c max_parallel_workers_per_gather=0';

/**
 * The pools of the floor and of the bare server: without parallel workers (above), and with
 * their connections kept open between rounds, as the API server keeps its read connections
 * (api/db/client.ts). node-postgres closes a connection idle for 10 s; the next round then
 * pays for a new backend, and the closed one takes its CPU time out of the PostgreSQL count.
 */
export const FLOOR_POOL_OPTIONS = { options: WITHOUT_PARALLEL_WORKERS, idleTimeoutMillis: 0 };

/**
 * Starts one of the bare reference servers (bare-sse.ts, bare-tiles.ts) in a process of its
 * own, as the API server runs in its own and with its Node flags (api/node-flags.ts), and waits
 * for the `{"port": …}` line it prints.
 */
export async function startBareServer(
  script: string,
  env: Record<string, string> = {},
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout.once('data', (chunk: Buffer) => resolvePort((JSON.parse(chunk.toString()) as { port: number }).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
