import type { SourceFile } from './layer-rules.ts';

/** A source file longer than this is split by what it does (STYLE.md, issue 15). */
const MAX_LINES = 400;

/** Source files whose length the fence counts: scripts, stylesheets, the HTML entry. */
export const COUNTED_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx|css|html)$/;

/**
 * Exempt from the length limit: data (geo/data/, JSON: the reference county's outline) and
 * generated code. No generated code lives under api/, geo/, web/ or tests/ today; drizzle-kit's
 * migrations/ is outside them, and landed-migrations.ts fences it instead.
 */
function isDataOrGenerated(path: string): boolean {
  return path.startsWith('geo/data/') || path.endsWith('.json');
}

/**
 * Files over MAX_LINES when the limit came in, each with its length then as a ceiling: it may
 * shrink (lower the number with it, and drop the entry once the file is within the limit), never
 * grow. Splitting them belongs to the capabilities that own them.
 */
const LENGTH_CEILINGS: Readonly<Record<string, number>> = {};

/** Lines as `wc -l` counts them: a last line without a newline still counts. */
export function lineCount(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

/**
 * Every file over its limit (MAX_LINES, or its ceiling), and every ceiling that no longer fits
 * its file (the file shrank, was split or is gone), so the list only tightens.
 */
export function checkFileLengths(
  files: readonly SourceFile[],
  ceilings: Readonly<Record<string, number>> = LENGTH_CEILINGS,
): string[] {
  const problems: string[] = [];
  const lengths = new Map(files.map((file) => [file.path, lineCount(file.text)]));
  for (const [path, lines] of lengths) {
    if (isDataOrGenerated(path)) continue;
    const ceiling = ceilings[path];
    if (ceiling === undefined && lines > MAX_LINES) {
      problems.push(`${path} has ${lines} lines, over the limit of ${MAX_LINES}: split it by what its parts do.`);
    } else if (ceiling !== undefined && lines > ceiling) {
      problems.push(`${path} has ${lines} lines and may not grow past its ceiling of ${ceiling}: split it instead.`);
    }
  }
  for (const [path, ceiling] of Object.entries(ceilings)) {
    const lines = lengths.get(path);
    if (lines === undefined) {
      problems.push(`${path} is gone: delete its entry from LENGTH_CEILINGS in tests/fences/file-shape.ts.`);
    } else if (lines <= MAX_LINES) {
      problems.push(
        `${path} has ${lines} lines, within the limit: delete its entry from LENGTH_CEILINGS in tests/fences/file-shape.ts.`,
      );
    } else if (lines < ceiling) {
      problems.push(
        `${path} shrank to ${lines} lines: lower its ceiling in tests/fences/file-shape.ts from ${ceiling} to ${lines}.`,
      );
    }
  }
  return problems;
}

/** kebab-case: lower-case words and digits joined by hyphens, then the extensions. */
const KEBAB_FILE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)+$/;

/** Files whose name is not kebab-case (Biome lints scripts and stylesheets; this covers every file). */
export function checkFileNames(paths: readonly string[]): string[] {
  return paths
    .filter((path) => !KEBAB_FILE_NAME.test(path.slice(path.lastIndexOf('/') + 1)))
    .map((path) => `${path}: file names are kebab-case (lower-case words joined by hyphens).`);
}
