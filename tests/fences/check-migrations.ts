import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  changedLandedMigrations,
  checkLandedMigrations,
  LANDED_LIST,
  landedLine,
  removedLandedLines,
  unlandedMigrations,
} from './landed-migrations.ts';

/**
 * `npm run check:migrations`: fails (exit 1) when a landed migration was edited or removed, when a
 * migration is not yet in the landed list, or when any commit took a line out of that list.
 * `npm run check:migrations -- --land` adds the lines of migrations not yet in the list (it never
 * rewrites one). The same checks run in `npm test` (tests/fences/migrations.test.ts).
 */
const repoRoot = resolve('.');

if (process.argv.includes('--land')) {
  const problems = changedLandedMigrations(repoRoot);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  const newcomers = unlandedMigrations(repoRoot);
  for (const file of newcomers) {
    appendFileSync(join(repoRoot, LANDED_LIST), `${landedLine(repoRoot, file)}\n`);
    console.log(`landed ${file}`);
  }
  if (newcomers.length === 0) console.log('every migration has landed already');
  process.exit(0);
}

const problems = [...checkLandedMigrations(repoRoot), ...removedLandedLines(repoRoot)];
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`migrations: every landed migration is unchanged (${LANDED_LIST}).`);
