/**
 * `npm run check:coverage [-- --json] [-- --tolerance-m2 N]`: checks the loaded data set
 * (embedded database in DATA_DIR, or DATABASE_URL) for gaps, overlaps, invalid geometry,
 * children outside parents and misplaced households. Exit code 0 when clean, 1 with defects,
 * 2 when it could not run. The embedded database admits one process: stop `npm start` first.
 */
import { type CoverageReport, checkCoverage, DEFAULT_TOLERANCE_M2 } from '../coverage/service.ts';
import { openDatabase } from '../db/client.ts';
import { EnvError, parseEnv } from '../env.ts';

function parseArguments(argv: string[]): { json: boolean; toleranceM2: number } {
  const json = argv.includes('--json');
  const index = argv.indexOf('--tolerance-m2');
  const toleranceM2 = index >= 0 ? Number(argv[index + 1]) : DEFAULT_TOLERANCE_M2;
  if (!Number.isFinite(toleranceM2) || toleranceM2 < 0)
    throw new Error('--tolerance-m2 takes a non-negative number of square metres');
  return { json, toleranceM2 };
}

function printHuman(report: CoverageReport): void {
  console.log(`区划覆盖检查 coverage check (tolerance ${report.toleranceM2} m²)`);
  console.log(
    `  counts: ${Object.entries(report.counts)
      .map(([level, count]) => `${level} ${count}`)
      .join(', ')}, households ${report.households}`,
  );
  for (const [name, defect] of Object.entries(report.defects)) {
    const area = defect.totalM2 === undefined ? '' : ` (total ${defect.totalM2} m², max ${defect.maxM2} m²)`;
    console.log(`  ${defect.count === 0 ? 'ok  ' : 'FAIL'} ${name}: ${defect.count}${area}`);
    for (const item of defect.items.slice(0, 5)) console.log(`         ${JSON.stringify(item)}`);
  }
  for (const failed of report.failedChecks) console.log(`  FAIL check ${failed.check} could not run: ${failed.error}`);
  console.log(report.ok ? '网不漏格、格不漏户: no defects.' : 'defects found.');
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const env = parseEnv();
  const db = await openDatabase(env);
  try {
    const report = await checkCoverage(db, options.toleranceM2);
    if (options.json) console.log(JSON.stringify(report, null, 2));
    else printHuman(report);
    return report.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof EnvError ? error.message : error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
