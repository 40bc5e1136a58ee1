import { useEffect, useRef } from 'react';
import { useLiveConnection } from '../live/live-stream.ts';

/**
 * Calls `onReconnected` when the live stream is open again after it dropped (a phone that lost its
 * signal): the replay may not cover everything missed, so lists reload.
 */
export function useReconnected(onReconnected: () => void): void {
  const connection = useLiveConnection();
  const previous = useRef(connection);
  const handler = useRef(onReconnected);
  useEffect(() => {
    handler.current = onReconnected;
  });
  useEffect(() => {
    if (previous.current === 'reconnecting' && connection === 'live') handler.current();
    previous.current = connection;
  }, [connection]);
}
