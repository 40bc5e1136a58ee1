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
  // The demo's past patrols, geohazard points and register of special populations are written once the server is ready: the tests
  // start when they are there, as a user who opens the map a minute after the start would.
  for (;;) {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { demoPatrols?: string; demoRegister?: string };
    if (health.demoPatrols === 'failed') throw new Error(`the demo's patrols were not written:\n${server.output()}`);
    if (health.demoRegister === 'failed') throw new Error(`the demo's register was not written:\n${server.output()}`);
    if (health.demoPatrols !== 'writing' && health.demoRegister !== 'writing') break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  project.provide('serverUrl', server.url);
  return async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
