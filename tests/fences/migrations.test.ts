import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLandedMigrations, LANDED_LIST, landedLine, removedLandedLines } from './landed-migrations.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

describe('this repository', () => {
  it('has every migration landed and unchanged since', () => {
    expect(checkLandedMigrations(REPO_ROOT)).toEqual([]);
  });

  it('never took a line out of the landed list, in any commit or in the working tree', () => {
    expect(removedLandedLines(REPO_ROOT)).toEqual([]);
  });
});

describe('the landed-migration check', () => {
  let root = '';
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=fences', '-c', 'user.email=fences@example.invalid', ...args], {
      cwd: root,
      stdio: 'ignore',
    });

  /** A repository with two landed migrations, committed. */
  function landedRepository(): void {
    root = mkdtempSync(join(tmpdir(), 'landed-'));
    mkdirSync(join(root, 'migrations/meta'), { recursive: true });
    writeFileSync(join(root, 'migrations/0000_postgis.sql'), 'CREATE EXTENSION IF NOT EXISTS postgis;\n');
    writeFileSync(join(root, 'migrations/0001_county.sql'), 'CREATE TABLE areas (code text PRIMARY KEY);\n');
    writeFileSync(join(root, LANDED_LIST), `${landedLine(root, '0000_postgis.sql')}\n${landedLine(root, '0001_county.sql')}\n`);
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'land');
  }

  it('passes a repository whose migrations are as they landed', () => {
    landedRepository();
    expect(checkLandedMigrations(root)).toEqual([]);
    expect(removedLandedLines(root)).toEqual([]);
  });

  it('fails an edited landed migration and says to write a new one', () => {
    landedRepository();
    appendFileSync(join(root, 'migrations/0001_county.sql'), 'ALTER TABLE areas ADD COLUMN name text;\n');
    const [problem, ...others] = checkLandedMigrations(root);
    expect(others).toEqual([]);
    expect(problem).toMatch(/^migrations\/0001_county\.sql has landed and was edited .*write a new migration/);
  });

  it('fails a new migration until it is added to the list', () => {
    landedRepository();
    writeFileSync(join(root, 'migrations/0002_accounts.sql'), 'CREATE TABLE accounts (id text);\n');
    expect(checkLandedMigrations(root)).toEqual([
      expect.stringMatching(/^migrations\/0002_accounts\.sql is not in migrations\/landed\.sha256\. .*--land/),
    ]);
    appendFileSync(join(root, LANDED_LIST), `${landedLine(root, '0002_accounts.sql')}\n`);
    expect(checkLandedMigrations(root)).toEqual([]);
  });

  it('fails a removed landed migration', () => {
    landedRepository();
    rmSync(join(root, 'migrations/0000_postgis.sql'));
    expect(checkLandedMigrations(root)).toEqual([expect.stringMatching(/^migrations\/0000_postgis\.sql has landed and is gone/)]);
  });

  it('fails a migration edited together with its line, in the working tree and once committed', () => {
    landedRepository();
    writeFileSync(join(root, 'migrations/0001_county.sql'), 'CREATE TABLE areas (code text PRIMARY KEY, name text);\n');
    writeFileSync(join(root, LANDED_LIST), `${landedLine(root, '0000_postgis.sql')}\n${landedLine(root, '0001_county.sql')}\n`);
    expect(checkLandedMigrations(root)).toEqual([]);
    expect(removedLandedLines(root)).toEqual([
      expect.stringMatching(/^the working tree took this line out .* 0001_county\.sql\. /),
    ]);
    git('commit', '-qam', 'rewrite history');
    expect(removedLandedLines(root)).toEqual([
      expect.stringMatching(/^commit [0-9a-f]{10} took this line out .* 0001_county\.sql\. /),
    ]);
  });
});
