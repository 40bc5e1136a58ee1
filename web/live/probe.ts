/** Answers without a session and without the database: a cheap proof that the server can be reached. */
const PROBE_PATH = '/healthz';
/**
 * A probe unanswered after this long (ms) is given up and sent again. A blip drops packets: a
 * request sent during it (or on a connection that died in it) never gets an answer, and TCP
 * retries a lost connection only 1, 3, 7, 15 s after it began. A fresh request after the link
 * is back gets through at once, so giving up quickly is what makes the catch-up quick.
 */
export const PROBE_TIMEOUT_MS = 1_000;
/** Probes sent at once in each round (see probeRound); the browser opens at most 6 connections to a server. */
const PARALLEL_PROBES = 3;
/** A probe that failed at once (connection refused, offline) is sent again after this, growing to the cap. */
export const PROBE_PAUSE_MS = 1_000;
export const PROBE_PAUSE_MAX_MS = 5_000;
type ProbeOutcome = 'reached' | 'unanswered' | 'refused';

/**
 * PARALLEL_PROBES probes at once, 'reached' as soon as one is answered. The browser keeps idle
 * connections for reuse and sends a request on one of them first: after a blip those may all be
 * dead, and one probe at a time would lose a PROBE_TIMEOUT_MS on each. Several at once use (and,
 * given up, close) several of them, or fresh ones; the stream then reuses the one that answered.
 */
export function probeRound(signal: AbortSignal): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let pending = PARALLEL_PROBES;
    let unanswered = false;
    for (let index = 0; index < PARALLEL_PROBES; index++) {
      void fetch(PROBE_PATH, { cache: 'no-store', signal })
        .then(
          (response): ProbeOutcome => (response.ok ? 'reached' : 'refused'),
          (): ProbeOutcome => (signal.aborted ? 'unanswered' : 'refused'),
        )
        .then((outcome) => {
          if (outcome === 'reached') resolve('reached');
          if (outcome === 'unanswered') unanswered = true;
          pending -= 1;
          if (pending === 0) resolve(unanswered ? 'unanswered' : 'refused');
        });
    }
  });
}
