import 'fake-indexeddb/auto';
import { afterEach, expect } from 'vitest';
import type { OutboxPlatform } from './outbox.ts';

// What the outbox tests share (outbox.test.ts, field-outbox.test.ts): IndexedDB in memory
// (fake-indexeddb), a phone's connection to switch, and the outboxes a test started, stopped after it.

/** A phone's connection the test switches, with the window's online and offline events. */
export class TestPlatform implements OutboxPlatform {
  connected = true;
  readonly events = new EventTarget();
  readonly locks = null;
  online = () => this.connected;
  openChannel = () => null;
  goOffline(): void {
    this.connected = false;
    this.events.dispatchEvent(new Event('offline'));
  }
  goOnline(): void {
    this.connected = true;
    this.events.dispatchEvent(new Event('online'));
  }
}

/**
 * The outboxes' errors and stops of the file's tests (call it at the top of the file): after each
 * test its outboxes stop, and it fails if any outbox reported an error.
 */
export function outboxTestRun(): { stops: (() => void)[]; reportError: (error: unknown) => void } {
  const errors: unknown[] = [];
  const stops: (() => void)[] = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    expect(errors.splice(0)).toEqual([]);
  });
  return { stops, reportError: (error) => errors.push(error) };
}

/**
 * Waits until what `read` takes of an outbox satisfies `test` (each change is published to
 * subscribers); after 5 s it fails with what `show` says of the last state.
 */
export function untilOutbox<T>(
  outbox: { subscribe: (listener: () => void) => () => void },
  read: () => T,
  test: (state: T) => boolean,
  show: (state: T) => string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const state = read();
      if (!test(state)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
    };
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(show(read())));
    }, 5_000);
    const unsubscribe = outbox.subscribe(check);
    check();
  });
}
