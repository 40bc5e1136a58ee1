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
