import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { FieldOutbox, type FieldOutboxEntry, type FieldSend, madeAt } from './field-outbox.ts';
import { outboxTestRun, TestPlatform, untilOutbox } from './outbox-testing.ts';

interface NoteItem extends FieldOutboxEntry<{ id: string }> {
  text: string;
  /** A step taken before the last one (as a task answer's photos are uploaded first). */
  uploaded: boolean;
}

const { stops, reportError } = outboxTestRun();

function newOutbox(send: FieldSend<NoteItem>) {
  const platform = new TestPlatform();
  const outbox = new FieldOutbox<NoteItem>({
    name: `test-outbox-${randomUUID()}`,
    store: 'notes',
    send,
    whenSent: (item) => ({ ...item, text: `${item.text}（已发）` }),
    platform,
    reportError,
  });
  return { outbox, platform };
}

function note(account: string, text: string, createdAt = Date.now()): NoteItem {
  return {
    clientId: randomUUID(),
    account,
    createdAt,
    state: 'waiting',
    attempts: 0,
    nextAttemptAt: 0,
    error: null,
    result: null,
    text,
    uploaded: false,
  };
}

function until(outbox: FieldOutbox<NoteItem>, test: (items: NoteItem[]) => boolean): Promise<NoteItem[]> {
  return untilOutbox(
    outbox,
    outbox.current,
    test,
    (items) => `never reached: ${JSON.stringify(items.map((item) => [item.text, item.state]))}`,
  );
}

describe('an item’s creation time (madeAt)', () => {
  it('is now, and a millisecond after the last one when the clock has not moved on', () => {
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
    const first = madeAt();
    const [second, third] = [madeAt(), madeAt()];
    clock.mockReturnValue(first + 1_000);
    const later = madeAt();
    clock.mockRestore();
    expect([second - first, third - second]).toEqual([1, 1]);
    expect(later).toBe(first + 1_000);
  });
});

describe('the generic field outbox', () => {
  it('sends the account’s items once, oldest first, keeps the answer and what `whenSent` keeps', async () => {
    const sent: string[] = [];
    const { outbox } = newOutbox(async (item) => {
      sent.push(item.text);
      return { kind: 'sent', result: { id: `S-${sent.length}` } };
    });
    await outbox.add(note('a', '第二条', 2));
    await outbox.add(note('a', '第一条', 1));
    await outbox.add(note('b', '别人的', 0));
    stops.push(outbox.start('a'));
    const items = await until(outbox, (all) => all.filter((item) => item.state === 'sent').length === 2);
    expect(sent).toEqual(['第一条', '第二条']);
    expect(items.map((item) => item.text)).toEqual(['第二条（已发）', '第一条（已发）', '别人的']);
    expect(items.find((item) => item.account === 'b')?.state).toBe('waiting');
  });

  it('keeps a step taken before a failure, waits offline, and finishes once online without repeating it', async () => {
    let uploads = 0;
    let fail = true;
    const { outbox, platform } = newOutbox(async (item, _signal, keep) => {
      if (!item.uploaded) {
        uploads += 1;
        await keep({ ...item, uploaded: true });
      }
      if (fail) return { kind: 'retry', message: '网络不通' };
      return { kind: 'sent', result: { id: 'S-1' } };
    });
    stops.push(outbox.start('a'));
    await outbox.add(note('a', '带照片'));
    const [waiting] = await until(outbox, (all) => all[0]?.attempts === 1);
    expect(waiting).toMatchObject({ state: 'waiting', uploaded: true, error: '网络不通' });
    platform.goOffline();
    fail = false;
    outbox.retryNow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(outbox.current()[0]?.state).toBe('waiting');
    platform.goOnline();
    await until(outbox, (all) => all[0]?.state === 'sent');
    expect(uploads).toBe(1);
  });

  it('keeps a refused item with the server’s reason', async () => {
    const { outbox } = newOutbox(async () => ({ kind: 'refused', message: '“车牌”必填' }));
    stops.push(outbox.start('a'));
    await outbox.add(note('a', '缺项'));
    const [refused] = await until(outbox, (all) => all[0]?.state === 'refused');
    expect(refused?.error).toBe('“车牌”必填');
  });
});
