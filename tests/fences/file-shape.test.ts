import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTED_FILE, checkFileLengths, checkFileNames, lineCount } from './file-shape.ts';
import type { SourceFile } from './layer-rules.ts';
import { readSourceTree } from './source-tree.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

function fileOf(path: string, lines: number): SourceFile {
  return { path, text: 'x\n'.repeat(lines) };
}

describe('the file-length fence', () => {
  it('counts lines as wc -l does, with or without a last newline', () => {
    expect([lineCount(''), lineCount('a'), lineCount('a\n'), lineCount('a\nb'), lineCount('a\nb\n')]).toEqual([0, 1, 1, 2, 2]);
  });

  it('fails a new file over 400 lines and a listed file that grows, and lets data through', () => {
    const ceilings = { 'api/cases/service.ts': 796 };
    expect(
      checkFileLengths(
        [
          fileOf('api/new.ts', 401),
          fileOf('web/fine.tsx', 400),
          fileOf('api/cases/service.ts', 797),
          fileOf('geo/data/outline.json', 9000),
        ],
        ceilings,
      ),
    ).toEqual([
      'api/new.ts has 401 lines, over the limit of 400: split it by what its parts do.',
      'api/cases/service.ts has 797 lines and may not grow past its ceiling of 796: split it instead.',
    ]);
    expect(checkFileLengths([fileOf('api/cases/service.ts', 796)], ceilings)).toEqual([]);
  });

  it('asks for a ceiling to go down with its file, and to go once the file fits', () => {
    const ceilings = { 'a.ts': 500, 'b.ts': 500, 'c.ts': 500 };
    expect(checkFileLengths([fileOf('a.ts', 450), fileOf('b.ts', 120)], ceilings)).toEqual([
      'a.ts shrank to 450 lines: lower its ceiling in tests/fences/file-shape.ts from 500 to 450.',
      'b.ts has 120 lines, within the limit: delete its entry from LENGTH_CEILINGS in tests/fences/file-shape.ts.',
      'c.ts is gone: delete its entry from LENGTH_CEILINGS in tests/fences/file-shape.ts.',
    ]);
  });

  it('fails a file name that is not kebab-case', () => {
    expect(checkFileNames(['web/caseList.tsx', 'api/cases/my_work.ts', 'web/index.html', 'geo/data/a-b.json'])).toEqual([
      'web/caseList.tsx: file names are kebab-case (lower-case words joined by hyphens).',
      'api/cases/my_work.ts: file names are kebab-case (lower-case words joined by hyphens).',
    ]);
  });
});

describe('this repository', () => {
  it('keeps every source file within 400 lines or its ceiling', () => {
    expect(checkFileLengths(readSourceTree(REPO_ROOT, undefined, COUNTED_FILE))).toEqual([]);
  });

  it('names every file in kebab-case', () => {
    const paths = readSourceTree(REPO_ROOT, undefined, /./).map((file) => file.path);
    expect(checkFileNames(paths)).toEqual([]);
  });
});
