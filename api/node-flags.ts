/**
 * The Node flags the server runs with: `npm start` passes them (package.json), and so do the
 * tests and the benchmark when they start a server (tests/support/server-process.ts);
 * node-flags.test.ts keeps the two the same. They are V8 options that only take effect when
 * given on the command line, so they cannot be set from inside the process.
 *
 * `--initial-old-space-size`: unless the old generation's size is given, V8 multiplies its
 * old-generation limit by the young collections' average survival ratio after every collection
 * (Heap::ConfigureInitialOldGenerationSize). An idle server's young collections find few
 * survivors, so while it waits the limit sinks to just above the heap's size, and the first load
 * after that ran a full mark-compact every 0.3–0.8 s, each freeing about a megabyte of the
 * server's ~58 MB. A server that idled 40 s after starting did 43 of them over its next 10,300
 * tiles and spent 1.00 ms of CPU per tile on the last 6,700 of them; started with 128 MB given,
 * 3 and 0.75 ms.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=128'];
