/**
 * The live stream's pulse, shared by the server that beats and the browser that listens. A network
 * blip that drops packets tells neither end: the stream just goes quiet, and without a pulse a
 * wall screen would keep saying 实时 over a dead connection until TCP or a list refresh noticed.
 * No imports: web/ reads these too.
 */

/** The server writes a comment on every open stream this often (ms), whether events flow or not. */
export const LIVE_KEEPALIVE_MS = 2_000;

/**
 * A client that has heard nothing for this long (ms) takes its stream for dead and reconnects:
 * two beats and a half, so one late beat on a busy server is no reason to reconnect.
 */
export const LIVE_STALL_MS = 5_000;
