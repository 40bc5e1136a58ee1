import { useEffect, useRef } from 'react';
import { useLiveConnection } from '../live/live-stream.ts';

/**
 * Calls `onReconnected` when the live stream is open again after it dropped (a phone that lost its
 * signal): the replay may not cover everything missed, so lists reload.
 */
export function useReconnected(onReconnected: () => void): void {
  const connection = useLiveConnection();
  const dropped = useRef(false);
  const handler = useRef(onReconnected);
  useEffect(() => {
    handler.current = onReconnected;
  });
  useEffect(() => {
    // Dropped, then live again once the replay is over (it passes through `catching-up` on the way).
    if (connection === 'reconnecting') dropped.current = true;
    if (connection !== 'live' || !dropped.current) return;
    dropped.current = false;
    handler.current();
  }, [connection]);
}
