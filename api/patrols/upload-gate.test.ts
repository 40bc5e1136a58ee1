import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../errors.ts';
import { uploadGate } from './upload-gate.ts';

/** A piece of work that ends when the test says so. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { work: () => done, finish };
}

const busy = expect.objectContaining({ status: 503, code: 'patrol_uploads_busy' });

afterEach(() => {
  vi.useRealTimers();
});

describe('the gate of fix batches', () => {
  it('runs at most `running` at once and starts the waiting ones in arrival order', async () => {
    const gate = uploadGate({ running: 2, waiting: 10, waitMs: 60_000 });
    const [a, b, c, d] = [held(), held(), held(), held()];
    const order: string[] = [];
    const runs = [
      gate.run(a.work).then(() => order.push('a')),
      gate.run(b.work).then(() => order.push('b')),
      gate.run(async () => {
        order.push('c started');
        await c.work();
      }),
      gate.run(async () => {
        order.push('d started');
        await d.work();
      }),
    ];
    await Promise.resolve();
    expect(gate.load).toEqual({ running: 2, waiting: 2 });
    b.finish();
    await vi.waitFor(() => expect(order).toContain('c started'));
    expect(order).not.toContain('d started');
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    a.finish();
    c.finish();
    d.finish();
    await Promise.all(runs);
    expect(order.toSorted()).toEqual(['a', 'b', 'c started', 'd started']);
    expect(order.indexOf('c started')).toBeLessThan(order.indexOf('d started'));
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('answers 503 at once when the queue is full, and frees the turn of work that failed', async () => {
    const gate = uploadGate({ running: 1, waiting: 1, waitMs: 60_000 });
    const a = held();
    const first = gate.run(a.work);
    const second = gate.run(async () => {
      throw new Error('the batch failed');
    });
    await expect(gate.run(async () => 'never')).rejects.toEqual(busy);
    a.finish();
    await first;
    await expect(second).rejects.toThrow('the batch failed');
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });

  it('answers 503 to a batch whose turn did not come in time, and leaves the queue to the others', async () => {
    vi.useFakeTimers();
    const gate = uploadGate({ running: 1, waiting: 5, waitMs: 3_000 });
    const a = held();
    const first = gate.run(a.work);
    const late = gate.run(async () => 'late');
    const refused = expect(late).rejects.toBeInstanceOf(AppError);
    await vi.advanceTimersByTimeAsync(2_000);
    const next = gate.run(async () => 'next');
    await vi.advanceTimersByTimeAsync(1_001);
    await refused;
    expect(gate.load).toEqual({ running: 1, waiting: 1 });
    a.finish();
    await first;
    await expect(next).resolves.toBe('next');
  });
});
