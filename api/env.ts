import { z } from 'zod';

/**
 * Process configuration, parsed once at boot. Nothing else in the code base reads
 * `process.env`; everything takes an `Env` (or the part of it it needs).
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Folder of the embedded database (PGlite) and the tile cache; ignored when DATABASE_URL is set. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL + PostGIS connection string; without it the embedded database is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /**
   * PostgreSQL only: how many scoped reads (tiles, the area API) run in the database at once;
   * more wait for a connection. Unset: twice this machine's cores (see api/db/client.ts).
   */
  DATABASE_READ_CONNECTIONS: z.coerce.number().int().min(1).max(1_000).optional(),
  /** Seed of the generated reference county; the same seed always gives the same county. */
  SEED: z.coerce.number().int().min(0).default(20_240_511),
  /** `full` is the reference county at real scale; `small` is the 4-township county used by tests. */
  COUNTY_PRESET: z.enum(['full', 'small']).default('full'),
  /** Optional MapLibre style URL for an external basemap (Tianditu, a PMTiles style); empty means the built-in one. */
  BASEMAP_STYLE_URL: z.string().url().optional(),
  /** Tiles kept in memory by the tile cache. */
  TILE_CACHE_ENTRIES: z.coerce.number().int().min(0).default(20_000),
  /** Days patrol positions are kept before they are removed (personal data; DESIGN.md, Security). */
  PATROL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(180),
  /**
   * Days live events are kept (api/live/retention.ts): the log is what a reconnecting browser
   * replays, which reaches back 24 hours at most, so a day is the least that keeps replays whole.
   */
  LIVE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  /** Metres from a valid patrol track within which a cell counts as patrolled (issue 16, coverage). */
  PATROL_COVERAGE_DISTANCE_M: z.coerce.number().min(0).max(1_000).default(50),
  /**
   * Demo walkers (api/demo/walkers.ts): `on` walks every grid worker in office hours and in running
   * drills at any hour; `drills` only in drills; `off` nobody. Unset: on for the embedded demo, off otherwise.
   */
  DEMO_WALKERS: z.enum(['on', 'drills', 'off']).optional(),
  LOG_LEVEL: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Parses the environment; empty strings count as unset. Throws `EnvError` listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return result.data;
}
