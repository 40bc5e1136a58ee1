/**
 * Lets the event loop serve what is waiting (requests, timers) before a long run of database work
 * goes on. The embedded database runs its statements on the main thread and settles their
 * promises at once, so a loop of awaited statements is a chain of microtasks that never gives I/O
 * a turn: a server writing its demo data for a minute answered no request, not even /healthz,
 * until it was done. Await this between the steps of such a loop.
 */
export function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Turns of the event loop a long background write gives waiting requests between its steps: a
 * request serving a file of the web client takes a turn for each read of it, so with one turn
 * between steps every read waited for a whole step (the page took half a second to answer while the
 * demo wrote its past patrols). A turn with nothing waiting costs microseconds.
 */
const BACKGROUND_TURNS = 4;

/** yieldToRequests for a few turns (BACKGROUND_TURNS): what a background write awaits between its steps. */
export async function yieldToRequestsInBackground(): Promise<void> {
  for (let turn = 0; turn < BACKGROUND_TURNS; turn++) await yieldToRequests();
}
