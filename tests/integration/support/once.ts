/**
 * `open`, run at most once per test run: the test files share their modules (vitest.config.ts,
 * `isolate: false`), so the files of one split suite set up their app and accounts once, whichever
 * file runs first.
 */
export function once(open: () => Promise<void>): () => Promise<void> {
  let opened: Promise<void> | undefined;
  return () => {
    opened ??= open();
    return opened;
  };
}
