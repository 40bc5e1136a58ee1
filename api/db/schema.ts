// The tables, one file per capability under tables/, gathered for drizzle-kit (drizzle.config.ts),
// the query builder (client.ts) and the drizzle-zod contracts. New tables go in a file of their own
// there (tables/patrols.ts, ...), re-exported here.
export * from './tables/accounts.ts';
export * from './tables/areas.ts';
export * from './tables/cases.ts';
export * from './tables/geohazards.ts';
export * from './tables/live.ts';
export * from './tables/patrols.ts';
export * from './tables/review.ts';
export * from './tables/special-populations.ts';
export * from './tables/tasks.ts';
