import { randomUUID } from 'node:crypto';
import { okJson as ok, type TestBrowser } from './support/sessions.ts';

/** One side of a scenario: its cell, and what a reader of the other side must never be told. */
interface TaskSide {
  cell: string;
  secrets: Set<string>;
}

const DAY_MS = 86_400_000;

/**
 * For the scoped payloads: a notice from the county to each side's cell (task.dispatched to it),
 * whose id and title are secrets of that side; each side's informant opens its inbox (the delivery
 * receipt) and acknowledges it (task.target).
 */
export async function dispatchToEachSide(county: TestBrowser, sides: readonly TaskSide[], informants: readonly TestBrowser[]) {
  for (const [index, side] of sides.entries()) {
    const title = `通知-${randomUUID().slice(0, 8)}`;
    const { task } = await ok<{ task: { id: string } }>(
      county.request('POST', '/api/tasks', {
        clientId: randomUUID(),
        lineCode: 'emergency',
        kind: 'notice',
        title,
        body: '请转告各户',
        areaCode: side.cell,
        deadline: new Date(Date.now() + DAY_MS).toISOString(),
      }),
      'dispatch',
    );
    side.secrets.add(title);
    side.secrets.add(task.id);
    const informant = informants[index]!;
    const inbox = await ok<{ items: { targetId: number; task: { id: string } }[] }>(informant.get('/api/tasks/inbox'), 'inbox');
    const item = inbox.items.find((entry) => entry.task.id === task.id);
    if (!item) throw new Error(`the informant of ${side.cell} did not get task ${task.id}`);
    await ok(informant.request('POST', `/api/tasks/targets/${item.targetId}/acknowledge`, { clientId: randomUUID() }), 'ack');
  }
}
