'use client';
/**
 * Calls `poll` now and every `everyMs` while the page is visible (none in a background tab), and
 * at once when it becomes visible again. The panel polls rather than open a second socket.io
 * connection: the dashboard's socket (useWindowpane.ts) is not shared, and alerts are few.
 */
import { useEffect, useRef } from 'react';

export function useVisiblePolling(poll: () => Promise<void> | void, everyMs: number): void {
  const latest = useRef(poll);
  latest.current = poll;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const tick = async () => {
      timer = null;
      if (stopped || document.visibilityState !== 'visible') return;
      await latest.current();
      if (!stopped && timer === null) timer = setTimeout(() => void tick(), everyMs);
    };
    const onVisibility = () => {
      if (document.visibilityState !== 'visible') return;
      if (timer !== null) clearTimeout(timer);
      void tick();
    };
    void tick();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [everyMs]);
}
