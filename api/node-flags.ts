/**
 * The Node flags the server runs with: `npm start` passes them (package.json), and so do the
 * tests and the benchmark when they start a server (tests/support/server-process.ts);
 * node-flags.test.ts keeps the two the same. They are V8 options that only take effect when
 * given on the command line, so they cannot be set from inside the process.
 *
 * `--initial-old-space-size`: V8 starts with a generous limit for its old generation, then,
 * unless this is given, lowers that limit towards the heap's current size each time a young
 * collection finds few survivors, which an idle server's collections do. The first load after
 * a quiet spell then meets a limit a megabyte or two above the server's ~58 MB of live objects:
 * a full mark-compact every 0.3–0.8 s, each freeing a megabyte. A server that idled 40 s after
 * starting did 43 of them over its next 10,300 tiles and spent 1.00 ms of CPU per tile on the
 * last 6,700 of them; with 128 MB given, 3 and 0.75 ms. With it, the old generation grows to 128 MB before its first full
 * collection, and the limits after that start from there.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=128'];
