import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createDraftStore } from './drafts.ts';
import { Outbox, type Send } from './outbox.ts';
import type { OutboxItem, SendOutcome, SentReport } from './outbox-item.ts';
import { outboxTestRun, TestPlatform, untilOutbox } from './outbox-testing.ts';
import type { StoredPhoto } from './photos.ts';
import { EMPTY_DRAFT, type ReadyReport } from './report-draft.ts';

const { stops, reportError } = outboxTestRun();

function newOutbox(platform = new TestPlatform()) {
  const drafts = createDraftStore(null);
  const outbox = new Outbox({ drafts, platform, reportError });
  return { outbox, drafts, platform };
}

function report(description: string, photos: StoredPhoto[] = []): ReadyReport {
  return {
    type: 'rockfall',
    urgency: 'urgent',
    description,
    place: { position: [107.24, 31.91], datum: 'wgs84', accuracyM: 8, source: 'gps' },
    photos,
  };
}

function sentReport(caseNumber: string): SentReport {
  return { caseNumber } as SentReport;
}

/** Waits until the outbox's items of `account` satisfy `test`. */
function until(outbox: Outbox, account: string, test: (items: OutboxItem[]) => boolean): Promise<OutboxItem[]> {
  const mine = () => outbox.current().items.filter((item) => item.account === account);
  return untilOutbox(
    outbox,
    mine,
    test,
    (items) => `outbox never reached the state; items: ${JSON.stringify(items.map((item) => item.state))}`,
  );
}

describe('the field page’s outbox', () => {
  it('takes a report and the draft leaves in the same step; sends it once, oldest first, and keeps the answer', async () => {
    const { outbox, drafts } = newOutbox();
    const account = `informant-${randomUUID().slice(0, 8)}`;
    await drafts.save(account, { ...EMPTY_DRAFT, description: '第一条' }, 1);
    const sent: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const send: Send = async (item) => {
      await gate;
      sent.push(item.report.description);
      return { kind: 'sent', result: sentReport(`TJ-${sent.length}`) };
    };
    const photo: StoredPhoto = { id: randomUUID(), blob: new Blob(['x'], { type: 'image/jpeg' }), width: 1600, height: 1067 };
    // Both made in the same millisecond, as a fast machine made them (and CI once sent them the other way round).
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now());
    const first = await outbox.add(account, report('第一条', [photo]));
    const second = await outbox.add(account, report('第二条'));
    clock.mockRestore();
    expect(second.createdAt).toBeGreaterThan(first.createdAt);
    expect(await drafts.load(account)).toBeNull();
    expect(first).toMatchObject({ state: 'waiting', photoCount: 1, attempts: 0 });

    stops.push(outbox.start(account, send));
    release();
    const items = await until(outbox, account, (all) => all.length === 2 && all.every((item) => item.state === 'sent'));
    expect(sent).toEqual(['第一条', '第二条']);
    const kept = items.find((item) => item.clientId === first.clientId);
    // Sent: the server keeps the photos from now on; the phone keeps the case number.
    expect(kept).toMatchObject({ photos: [], photoCount: 1, result: { caseNumber: 'TJ-1' }, error: null });
  });

  it('waits with a growing back-off after a failure, and needs a sign-in after a lost session', async () => {
    const { outbox } = newOutbox();
    const account = `informant-${randomUUID().slice(0, 8)}`;
    const outcomes: SendOutcome[] = [
      { kind: 'retry', message: '网络不通，稍后自动重试' },
      { kind: 'retry', message: '登录已过期', session: true },
    ];
    let attempts = 0;
    const send: Send = async () => outcomes[attempts++] ?? { kind: 'retry', message: 'unexpected' };
    const item = await outbox.add(account, report('等网络'));
    const before = Date.now();
    stops.push(outbox.start(account, send));
    const [waiting] = await until(outbox, account, (all) => all[0]?.attempts === 1);
    expect(waiting).toMatchObject({
      clientId: item.clientId,
      state: 'waiting',
      error: '网络不通，稍后自动重试',
      needsSignIn: false,
    });
    // 5 s ± 20% after the first failure.
    expect(waiting!.nextAttemptAt - before).toBeGreaterThanOrEqual(4_000);

    outbox.retryNow();
    const [signedOut] = await until(outbox, account, (all) => all[0]?.attempts === 2);
    expect(signedOut).toMatchObject({ state: 'waiting', needsSignIn: true });
    expect(signedOut!.nextAttemptAt - Date.now()).toBeGreaterThan(10_000);
  });

  it('keeps a refused report with its reason, to take back into a draft or remove', async () => {
    const { outbox } = newOutbox();
    const account = `informant-${randomUUID().slice(0, 8)}`;
    const send: Send = async () => ({ kind: 'refused', code: 'outside_scope', message: '位置不在您的网格内' });
    const item = await outbox.add(account, report('越界'));
    stops.push(outbox.start(account, send));
    await until(outbox, account, (all) => all[0]?.state === 'refused');
    expect(outbox.current().items.find((entry) => entry.clientId === item.clientId)?.error).toBe('位置不在您的网格内');

    const draft = await outbox.takeBack(item.clientId);
    expect(draft).toMatchObject({ description: '越界', type: 'rockfall', coordinates: EMPTY_DRAFT.coordinates });
    await until(outbox, account, (all) => all.length === 0);
    // Only a refused item can be taken back.
    expect(await outbox.takeBack(item.clientId)).toBeNull();
  });

  it('sends nothing offline, and everything waiting as soon as the phone is back online', async () => {
    const { outbox, platform } = newOutbox();
    const account = `informant-${randomUUID().slice(0, 8)}`;
    let calls = 0;
    const send: Send = async () => {
      calls += 1;
      return { kind: 'sent', result: sentReport('TJ-9') };
    };
    platform.goOffline();
    stops.push(outbox.start(account, send));
    await outbox.add(account, report('离线时填的'));
    await until(outbox, account, (all) => all.length === 1);
    expect(calls).toBe(0);
    platform.goOnline();
    await until(outbox, account, (all) => all[0]?.state === 'sent');
    expect(calls).toBe(1);
  });

  it('sends only the signed-in account’s items, and resumes one a closed tab left half-sent', async () => {
    const { outbox } = newOutbox();
    const account = `informant-${randomUUID().slice(0, 8)}`;
    const other = `informant-${randomUUID().slice(0, 8)}`;
    const theirs = await outbox.add(other, report('别人的'));
    const mine = await outbox.add(account, report('我的'));
    // As if a tab had closed in the middle of sending it.
    const stale = newOutbox();
    await stale.outbox.add(account, report('发送中断的'));
    const interrupted = stale.outbox.current().items.find((item) => item.report.description === '发送中断的')!;
    const { fieldDatabase } = await import('./field-db.ts');
    await (await fieldDatabase()).put('outbox', { ...interrupted, state: 'sending' });

    const sent: string[] = [];
    stops.push(
      outbox.start(account, async (item) => {
        sent.push(item.clientId);
        return { kind: 'sent', result: sentReport('TJ-1') };
      }),
    );
    await until(outbox, account, (all) => all.length === 2 && all.every((item) => item.state === 'sent'));
    expect(sent.sort()).toEqual([mine.clientId, interrupted.clientId].sort());
    expect(outbox.current().items.find((item) => item.clientId === theirs.clientId)?.state).toBe('waiting');
  });
});
