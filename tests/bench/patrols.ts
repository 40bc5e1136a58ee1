import { openPostgresDatabase } from '../../api/db/client.ts';
import { startServer } from '../support/server-process.ts';
import { benchPatrolCoverage, type PatrolCoverageResult, patrolCoverageTargets, printPatrolCoverage } from './patrol-coverage.ts';
import { ensurePatrolFixture, type PatrolFixture } from './patrol-fixture.ts';
import { type BatchIngestResult, benchBatchIngest, benchSteadyStream, type SteadyStreamResult } from './patrol-ingest.ts';
import { benchPatrolPlayback, type PlaybackBenchResult, patrolPlaybackTargets, printPatrolPlayback } from './patrol-playback.ts';
import { ensureBenchAccount } from './tile-requests.ts';

export interface PatrolBenchResult {
  fixture: PatrolFixture;
  batch: BatchIngestResult;
  stream: SteadyStreamResult;
  playback: PlaybackBenchResult | null;
  coverage: PatrolCoverageResult;
}

/** Every grid worker of the reference county. */
const COUNTY_WORKERS = 561;

/**
 * Patrol tracks at county scale, on PostgreSQL only (the embedded database keeps a plain table
 * and a demo's load): the positions table holds about 50 million fixes (patrol-fixture.ts), then
 * fixes come in through the HTTP batch endpoint against raw COPY, and from all 561 workers at
 * once, one fix a second each, against a bare Node endpoint; a day's playback of the county and
 * of one worker against the raw SQL reading their rows (patrol-playback.ts).
 */
export async function benchPatrols(postgresUrl: string): Promise<PatrolBenchResult> {
  console.log('\n[patrols] the positions table: about 50 million fixes (built once, then reused)…');
  const fixture = await ensurePatrolFixture(postgresUrl, (line) => console.log(line));
  console.log(
    `[patrols] ${fixture.positions.toLocaleString('en')} fixes over ${fixture.days.length} days` +
      (fixture.builtMs ? `, built in ${(fixture.builtMs / 60_000).toFixed(1)} min` : ', reused'),
  );
  await ensureBenchAccount(() => openPostgresDatabase(fixture.url));
  console.log("[patrols] a township's 30-day coverage against its raw SQL…");
  const coverageDb = await openPostgresDatabase(fixture.url);
  const coverage = await benchPatrolCoverage(coverageDb).finally(() => coverageDb.close());
  // Each part is printed as it ends (the whole run takes half an hour), and again in the report.
  printPatrolCoverage(coverage);
  const server = await startServer({ DATABASE_URL: fixture.url, COUNTY_PRESET: 'full' });
  try {
    console.log("[patrols] a day of the whole county played back, and one worker's, against their raw SQL…");
    const playback = await benchPatrolPlayback(server.url, fixture.url);
    printPatrolPlayback(playback);
    console.log('[patrols] batches of 500 fixes over HTTP against COPY…');
    const batch = await benchBatchIngest(server, fixture.url);
    console.log(batchRow(batch));
    console.log(`[patrols] ${COUNTY_WORKERS} workers, a fix a second each for a minute…`);
    const stream = await benchSteadyStream(server, fixture.url, COUNTY_WORKERS);
    console.log(streamRow(stream));
    return { fixture, batch, stream, playback, coverage };
  } finally {
    await server.stop();
  }
}

const fmt = (value: number, digits = 1) => value.toFixed(digits);

export function printPatrols(result: PatrolBenchResult): void {
  const { batch, stream } = result;
  printPatrolPlayback(result.playback);
  printPatrolCoverage(result.coverage);
  console.log(`\n### patrol tracks (PostgreSQL, ${result.fixture.positions.toLocaleString('en')} positions in the table)\n`);
  console.log('| measure | server | floor | ratio |\n| --- | --- | --- | --- |');
  console.log(batchRow(batch));
  console.log(streamRow(stream));
}

const batchRow = (batch: BatchIngestResult) =>
  `| fixes in, ${batch.clients} clients × batches of ${batch.batchSize} (median of ${batch.rounds} rounds) | ${fmt(batch.httpPerSecond, 0)} fixes/s over HTTP (cells walked derived ${fmt(batch.settledAfterMs, 0)} ms after the last answer) | ${fmt(batch.copyPerSecond, 0)} fixes/s by COPY | ${fmt(batch.httpPerSecond / batch.copyPerSecond, 2)}x |`;

const streamRow = (stream: SteadyStreamResult) =>
  `| ${stream.workers} workers × 1 fix/s for ${stream.seconds} s: acknowledgement p50 / p99 / worst | ${fmt(stream.server.p50)} / ${fmt(stream.server.p99)} / ${fmt(stream.server.max)} ms (${stream.server.shed} answered 503 to try again, ${stream.server.failed} failed, of ${stream.server.count + stream.server.shed + stream.server.failed}) | ${fmt(stream.bare.p50)} / ${fmt(stream.bare.p99)} / ${fmt(stream.bare.max)} ms bare Node | p99 ${fmt(stream.server.p99 / stream.bare.p99, 2)}x |`;

export function patrolTargets(result: PatrolBenchResult): [string, string, boolean][] {
  const { batch, stream } = result;
  const ratio = batch.httpPerSecond / batch.copyPerSecond;
  return [
    ...patrolPlaybackTargets('postgres', result.playback),
    ...patrolCoverageTargets('postgres, 50M positions', result.coverage),
    ['patrols: fixes through the HTTP batch endpoint ≥ 0.5x raw COPY', `${fmt(ratio, 2)}x`, ratio >= 0.5],
    [
      `patrols: ${stream.workers} workers × 1 fix/s, every batch acknowledged, p99 ≤ 1 s`,
      `${stream.server.shed} answered 503, ${stream.server.failed} failed, p99 ${fmt(stream.server.p99)} ms (${fmt(stream.server.p99 / stream.bare.p99, 2)}x bare Node)`,
      // A batch answered 503 is not acknowledged: the phone sends it again, but the target is missed.
      stream.server.shed + stream.server.failed === 0 && stream.server.p99 <= 1_000,
    ],
  ];
}
