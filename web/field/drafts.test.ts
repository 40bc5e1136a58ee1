import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDraftStore, type QuickCopies } from './drafts.ts';
import type { StoredPhoto } from './photos.ts';
import { EMPTY_DRAFT, type ReportDraft } from './report-draft.ts';

/** Web Storage as a browser keeps it, in memory; `blocked` makes it throw as private browsing can. */
class MemoryStorage implements QuickCopies {
  readonly items = new Map<string, string>();
  blocked = false;
  getItem(key: string): string | null {
    if (this.blocked) throw new Error('SecurityError');
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.blocked) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    if (this.blocked) throw new Error('SecurityError');
    this.items.delete(key);
  }
}

function photo(width: number): StoredPhoto {
  return { id: randomUUID(), blob: new Blob([new Uint8Array(width)], { type: 'image/jpeg' }), width, height: 100 };
}

function draftOf(description: string, photos: StoredPhoto[] = []): ReportDraft {
  return { ...EMPTY_DRAFT, type: 'landslide', description, photos };
}

/** Each test its own account: the database is shared, as it is between a page's tabs. */
const account = () => `informant-${randomUUID().slice(0, 8)}`;

describe('the field page’s drafts', () => {
  it('gives back what was saved, photos in their order', async () => {
    const store = createDraftStore(new MemoryStorage());
    const who = account();
    const photos = [photo(30), photo(10), photo(20)];
    await store.save(who, draftOf('坡体开裂', photos), 1);
    const loaded = await store.load(who);
    expect(loaded?.description).toBe('坡体开裂');
    expect(loaded?.photos.map((kept) => kept.width)).toEqual([30, 10, 20]);
    expect(await store.load(account())).toBeNull();
  });

  it('takes the quick copy when it is newer: the last keystrokes before a reload are kept', async () => {
    const copies = new MemoryStorage();
    const store = createDraftStore(copies);
    const who = account();
    const photos = [photo(40), photo(50)];
    await store.save(who, draftOf('坡体', photos), 1_000);
    // Typed, and the page went away before the IndexedDB write: only the quick copy has it.
    store.keepQuickly(who, draftOf('坡体开裂，道路中断', [photos[1]!, photos[0]!]), 2_000);
    const loaded = await store.load(who);
    expect(loaded?.description).toBe('坡体开裂，道路中断');
    expect(loaded?.photos.map((kept) => kept.width)).toEqual([50, 40]);
  });

  it('takes IndexedDB when it is as new as the copy or newer', async () => {
    const store = createDraftStore(new MemoryStorage());
    const who = account();
    store.keepQuickly(who, draftOf('旧的'), 1_000);
    await store.save(who, draftOf('新的', [photo(60)]), 1_000);
    expect((await store.load(who))?.photos).toHaveLength(1);
    await store.save(who, draftOf('更新的'), 3_000);
    expect((await store.load(who))?.description).toBe('更新的');
  });

  it('drops a photo the copy names but IndexedDB never stored, and keeps the rest', async () => {
    const store = createDraftStore(new MemoryStorage());
    const who = account();
    const stored = photo(70);
    await store.save(who, draftOf('一张', [stored]), 1_000);
    store.keepQuickly(who, draftOf('两张', [stored, photo(80)]), 2_000);
    const loaded = await store.load(who);
    expect(loaded?.description).toBe('两张');
    expect(loaded?.photos.map((kept) => kept.id)).toEqual([stored.id]);
  });

  it('forgets both copies when cleared', async () => {
    const copies = new MemoryStorage();
    const store = createDraftStore(copies);
    const who = account();
    await store.save(who, draftOf('要删除', [photo(90)]), 1_000);
    store.keepQuickly(who, draftOf('要删除了'), 2_000);
    await store.clear(who);
    expect(await store.load(who)).toBeNull();
    expect([...copies.items.keys()].some((key) => key.endsWith(who))).toBe(false);
  });

  it('works on without Web Storage, and with a copy that does not parse', async () => {
    const copies = new MemoryStorage();
    const store = createDraftStore(copies);
    const who = account();
    await store.save(who, draftOf('存在手机上'), 1_000);
    copies.items.set(`grid-command-field-draft:${who}`, '{not json');
    expect((await store.load(who))?.description).toBe('存在手机上');
    copies.blocked = true;
    store.keepQuickly(who, draftOf('存不进'), 2_000);
    expect((await store.load(who))?.description).toBe('存在手机上');
    const none = createDraftStore(null);
    await none.save(who, draftOf('没有 Web Storage'), 3_000);
    expect((await none.load(who))?.description).toBe('没有 Web Storage');
  });

  it('fills in a field an older page did not keep', async () => {
    const copies = new MemoryStorage();
    const store = createDraftStore(copies);
    const who = account();
    copies.setItem(
      `grid-command-field-draft:${who}`,
      JSON.stringify({ draft: { description: '老版本' }, photoIds: [], updatedAt: 5 }),
    );
    const loaded = await store.load(who);
    expect(loaded).toMatchObject({ description: '老版本', urgency: 'normal', coordinates: EMPTY_DRAFT.coordinates, photos: [] });
  });
});
