import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { handleError, showNotice } from '../handle-error.ts';
import { currentLanguage, fill, formatDateTime } from '../i18n.ts';
import { type LiveInvalidations, liveLine, useLiveInvalidation } from '../live/live-invalidation.ts';
import { useLiveEvents } from '../live/live-stream.ts';
import { type InboxTask, withUnsent } from './inbox-task.ts';
import { taskOutbox, useTaskOutbox } from './task-outbox.ts';
import { TASK_STRINGS } from './task-strings.ts';
import { fetchInbox, type Inbox } from './tasks-api.ts';

interface InboxRecord {
  account: string;
  inbox: Inbox;
  /** When it was read from the server (epoch ms). */
  readAt: number;
}

interface InboxDb extends DBSchema {
  inbox: { key: string; value: InboxRecord };
}

let opened: Promise<IDBPDatabase<InboxDb>> | null = null;
/** The last inbox each account read, kept on the phone so that the tab opens offline. */
const inboxDatabase = () => {
  opened ??= openDB<InboxDb>('grid-command-field-inbox', 1, {
    upgrade(db) {
      db.createObjectStore('inbox', { keyPath: 'account' });
    },
  });
  return opened;
};

const inboxKey = (account: string) => ['field', 'task-inbox', account] as const;

export interface TaskInboxState {
  tasks: InboxTask[] | null;
  escalations: Inbox['escalations'];
  /** When the shown copy was read from the server, when it is the phone's copy (offline); null when fresh. */
  copyReadAt: number | null;
  failed: boolean;
  /** Tasks not done (the tab's badge). */
  openCount: number;
  refresh: () => void;
}

/**
 * The live lines of the inbox: a target's state changed (one's own receipt from another phone, a
 * task closed), a target of the reader's reminded, or a silent cell of the reader's grid or
 * village escalated to it (the escalations are read with the inbox).
 */
function inboxLiveInvalidations(account: string): LiveInvalidations {
  return {
    lines: [
      liveLine({ types: ['task.target', 'task.reminded', 'task.escalated'], keys: () => [inboxKey(account)], debounceMs: 800 }),
    ],
    onResync: [inboxKey(account)],
    onReconnect: [inboxKey(account)],
  };
}

/**
 * The reader's task inbox: read from the server (which stamps the delivery receipts), kept on the
 * phone after each reading, and shown from the phone's copy while offline. A new task
 * (`task.dispatched`) is announced with a toast and the inbox read again at once; the phone's
 * unsent acknowledgements and answers move the shown states on before the server has them.
 */
export function useTaskInbox(account: string, enabled: boolean): TaskInboxState {
  const queryClient = useQueryClient();
  const [copy, setCopy] = useState<InboxRecord | null>(null);
  const query = useQuery({
    queryKey: inboxKey(account),
    queryFn: async ({ signal }) => {
      const inbox = await fetchInbox(signal);
      await (await inboxDatabase()).put('inbox', { account, inbox, readAt: Date.now() }).catch(handleError);
      return inbox;
    },
    enabled,
    refetchOnWindowFocus: true,
    meta: { errorTitle: () => TASK_STRINGS[currentLanguage()].loadFailed },
  });
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: inboxKey(account) }), [queryClient, account]);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    inboxDatabase()
      .then((db) => db.get('inbox', account))
      .then((record) => {
        if (!cancelled && record) setCopy(record);
      })
      .catch(handleError);
    return () => {
      cancelled = true;
    };
  }, [account, enabled]);

  useEffect(() => (enabled ? taskOutbox.start(account) : undefined), [account, enabled]);
  const table = useMemo(() => inboxLiveInvalidations(account), [account]);
  useLiveInvalidation(table, enabled);
  useLiveEvents(enabled ? ['task.dispatched'] : [], (message) => {
    const k = TASK_STRINGS[currentLanguage()];
    const { title, lineName, deadline } = message.payload;
    showNotice(fill(k.newTask, { title }), fill(k.newTaskLine, { line: lineName, time: formatDateTime(deadline) }));
    if ('vibrate' in navigator) navigator.vibrate([300, 100, 300]);
    refresh();
  });

  const outboxItems = useTaskOutbox(account);
  // What the phone sent has moved the targets on: the server's reading says how far.
  const sentCount = outboxItems.filter((item) => item.state === 'sent').length;
  useEffect(() => {
    if (enabled && sentCount > 0) refresh();
  }, [enabled, sentCount, refresh]);
  const inbox = query.data ?? copy?.inbox ?? null;
  const tasks = useMemo(() => {
    if (!inbox) return null;
    return inbox.items
      .map((item) =>
        withUnsent(
          item,
          outboxItems.filter((entry) => entry.action.targetId === item.targetId && entry.state !== 'sent'),
        ),
      )
      .sort((a, b) => b.task.dispatchedAt.localeCompare(a.task.dispatchedAt));
  }, [inbox, outboxItems]);

  return {
    tasks,
    escalations: inbox?.escalations ?? [],
    copyReadAt: query.data ? null : (copy?.readAt ?? null),
    failed: query.isError,
    openCount: tasks?.filter((task) => task.shownState !== 'done' && task.task.status === 'open').length ?? 0,
    refresh,
  };
}
