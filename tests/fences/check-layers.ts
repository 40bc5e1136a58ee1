import { resolve } from 'node:path';
import { checkLayers, formatViolations, PENDING_VOCABULARY } from './layer-rules.ts';
import { readSourceTree } from './source-tree.ts';

/**
 * `npm run check:layers [root]`: fails (exit 1) on any import that crosses a layer fence, printing
 * file:line, the import and the rule. The same check runs in `npm test` (tests/fences/layers.test.ts).
 * Another root (a fixture tree) is checked without this repository's pending list.
 */
const otherRoot = process.argv[2];
const repoRoot = resolve(otherRoot ?? '.');
const pending = otherRoot ? [] : PENDING_VOCABULARY;
const files = readSourceTree(repoRoot);
const violations = checkLayers(files, pending);
if (violations.length > 0) {
  console.error(formatViolations(violations));
  console.error(`\n${violations.length} import(s) cross a layer fence (README.md, "Layout").`);
  process.exit(1);
}
console.log(`layers: ${files.length} files, every import keeps to its layer (${pending.length} pending the vocabulary).`);
