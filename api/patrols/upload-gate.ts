import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';

/**
 * How many batches of fixes run at once, how many may wait, and how long. Batches write through
 * the owner's pool (10 connections, api/db/client.ts), which every command shares: a flood of
 * batches from a county drill must not queue a duty officer's dispatch behind a minute of them.
 */
export interface UploadGateLimits {
  /**
   * Batches past the gate at once (their body read, checked, and waiting for or in a group,
   * upload-group.ts). The groups hold a few of the owner's connections at most; the rest of the
   * pool stays free for commands.
   */
  running: number;
  /** Batches waiting for a turn; one more is answered 503 at once. */
  waiting: number;
  /** The longest a batch waits for its turn before it is answered 503. */
  waitMs: number;
}

export const DEFAULT_UPLOAD_GATE: UploadGateLimits = { running: 128, waiting: 400, waitMs: 3_000 };

/** The phone keeps its fixes and tries again (web/patrols/patrol-recorder.ts syncs every 10 s). */
const RETRY_AFTER_SECONDS = 10;

const uploadsBusy = () =>
  new AppError(503, 'patrol_uploads_busy', {
    zh: '服务器繁忙，轨迹已保存在手机上，稍后会自动重新上传',
    en: 'The server is busy; the fixes are kept on the phone and will be sent again shortly',
  });

interface Waiter {
  start: () => void;
  timer: NodeJS.Timeout;
}

/**
 * Admits batches of fixes in arrival order, at most `running` at once. A batch that cannot wait
 * (the queue is full, or its turn did not come within `waitMs`) is answered 503 with Retry-After
 * before its body is read: shedding early costs the server nothing, and the phone loses nothing.
 */
export function uploadGate(limits: UploadGateLimits = DEFAULT_UPLOAD_GATE) {
  let running = 0;
  const queue: Waiter[] = [];

  const release = () => {
    const next = queue.shift();
    if (!next) {
      running--;
      return;
    }
    clearTimeout(next.timer);
    next.start();
  };

  const turn = (): Promise<void> => {
    if (running < limits.running) {
      running++;
      return Promise.resolve();
    }
    if (queue.length >= limits.waiting) return Promise.reject(uploadsBusy());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        // The turn passes from the batch that released it: `running` stays as it was.
        start: resolve,
        timer: setTimeout(() => {
          queue.splice(queue.indexOf(waiter), 1);
          reject(uploadsBusy());
        }, limits.waitMs),
      };
      queue.push(waiter);
    });
  };

  return {
    /** Runs `work` in its turn; throws the 503 when it gets none. */
    async run<T>(work: () => Promise<T>): Promise<T> {
      await turn();
      try {
        return await work();
      } finally {
        release();
      }
    },
    /** The same, around the rest of a route (its body read, validation and handler). */
    middleware: (async (c, next) => {
      try {
        await turn();
      } catch (error) {
        c.header('Retry-After', String(RETRY_AFTER_SECONDS));
        throw error;
      }
      try {
        await next();
      } finally {
        release();
      }
    }) satisfies MiddlewareHandler<AppEnv>,
    /** Batches running and waiting now. */
    get load() {
      return { running, waiting: queue.length };
    },
  };
}

export type UploadGate = ReturnType<typeof uploadGate>;
