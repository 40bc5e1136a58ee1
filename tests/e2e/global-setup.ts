import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startServer } from '../support/server-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the server every browser test drives, without a trailing slash. */
    serverUrl: string;
  }
}

/**
 * One server for the whole browser run: the small county on a fresh embedded database, which
 * creates the demo accounts on its first start. Set E2E_SERVER_URL to drive an already running
 * server (say `npm start`) instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.E2E_SERVER_URL;
  if (external) {
    project.provide('serverUrl', external.replace(/\/$/, ''));
    return async () => {};
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'grid-command-e2e-'));
  const server = await startServer({ COUNTY_PRESET: 'small', DATA_DIR: dataDir });
  project.provide('serverUrl', server.url);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
