import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The SHA-256 of every migration that has landed, in `sha256sum` format (`<hex>  <file>`), so
 * `cd migrations && sha256sum -c landed.sha256` checks it by hand too. Lines are only ever
 * added: a landed migration has run on databases we cannot reach, so changing it changes nothing
 * there and splits the schema in two.
 */
export const LANDED_LIST = 'migrations/landed.sha256';
const MIGRATIONS = 'migrations';

const WRITE_A_NEW_ONE =
  'A landed migration is never edited: undo the change and write a new migration (npm run db:generate, or drizzle-kit generate --custom for hand-written SQL).';

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `file → hash` from the text of a landed list. */
function parseLandedList(text: string): Map<string, string> {
  const landed = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (match?.[1] && match[2]) landed.set(match[2], match[1]);
  }
  return landed;
}

function migrationFiles(repoRoot: string): string[] {
  return readdirSync(join(repoRoot, MIGRATIONS))
    .filter((name) => name.endsWith('.sql'))
    .sort();
}

/** The line a migration file would have in the landed list. */
export function landedLine(repoRoot: string, file: string): string {
  return `${sha256(readFileSync(join(repoRoot, MIGRATIONS, file)))}  ${file}`;
}

/** Migration files not yet in the landed list: new work, to be landed once final. */
export function unlandedMigrations(repoRoot: string): string[] {
  const listPath = join(repoRoot, LANDED_LIST);
  const landed = existsSync(listPath) ? parseLandedList(readFileSync(listPath, 'utf8')) : new Map<string, string>();
  return migrationFiles(repoRoot).filter((file) => !landed.has(file));
}

/** Landed migrations that were edited or removed, and lines of the list that are not `<sha256>  <file>`. */
export function changedLandedMigrations(repoRoot: string): string[] {
  const listPath = join(repoRoot, LANDED_LIST);
  if (!existsSync(listPath)) return [`${LANDED_LIST} is missing: it lists every landed migration's SHA-256.`];
  const text = readFileSync(listPath, 'utf8');
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    if (line !== '' && !/^[0-9a-f]{64} {2}\S+$/.test(line)) problems.push(`${LANDED_LIST}: not "<sha256>  <file>": ${line}`);
  }
  const files = new Set(migrationFiles(repoRoot));
  for (const [file, hash] of parseLandedList(text)) {
    if (!files.has(file)) {
      problems.push(`migrations/${file} has landed and is gone. ${WRITE_A_NEW_ONE}`);
      continue;
    }
    const now = sha256(readFileSync(join(repoRoot, MIGRATIONS, file)));
    if (now !== hash)
      problems.push(`migrations/${file} has landed and was edited (sha256 ${now}, landed as ${hash}). ${WRITE_A_NEW_ONE}`);
  }
  return problems;
}

/**
 * What is wrong between the migration files and the landed list: a landed file edited or gone,
 * a new file not yet in the list, a malformed line. Empty when they agree.
 */
export function checkLandedMigrations(repoRoot: string): string[] {
  const unlanded = unlandedMigrations(repoRoot).map(
    (file) =>
      `migrations/${file} is not in ${LANDED_LIST}. Once it is final, land it: npm run check:migrations -- --land (adds its line; the migration is never edited after).`,
  );
  return [...changedLandedMigrations(repoRoot), ...unlanded];
}

function git(repoRoot: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/**
 * Every line of the landed list that a commit (or the working tree, against HEAD) took away or
 * changed: the list only grows, so a migration edited together with its line is still caught.
 * A parent missing from a shallow clone is skipped.
 */
export function removedLandedLines(repoRoot: string): string[] {
  const problems: string[] = [];
  const linesAt = (revision: string): Set<string> | undefined => {
    const text = git(repoRoot, ['show', `${revision}:${LANDED_LIST}`]);
    return text === undefined ? undefined : new Set(text.split('\n').filter(Boolean));
  };
  const compare = (before: Set<string>, after: Set<string>, where: string) => {
    for (const line of before) {
      if (!after.has(line)) problems.push(`${where} took this line out of ${LANDED_LIST}: ${line}. ${WRITE_A_NEW_ONE}`);
    }
  };

  const commits = git(repoRoot, ['log', '--format=%H %P', '--', LANDED_LIST]) ?? '';
  for (const entry of commits.split('\n').filter(Boolean)) {
    const [commit = '', ...parents] = entry.split(' ').filter(Boolean);
    const after = linesAt(commit) ?? new Set<string>();
    for (const parent of parents) {
      const before = linesAt(parent);
      if (before) compare(before, after, `commit ${commit.slice(0, 10)}`);
    }
  }
  const head = linesAt('HEAD');
  const listPath = join(repoRoot, LANDED_LIST);
  if (head) {
    const working = existsSync(listPath)
      ? new Set(readFileSync(listPath, 'utf8').split('\n').filter(Boolean))
      : new Set<string>();
    compare(head, working, 'the working tree');
  }
  return problems;
}
