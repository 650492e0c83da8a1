'use client';
/**
 * Runs the page's polling loop (poller.ts) while the component is mounted and `enabled`: `poll`
 * now and every `everyMs` after, never while the tab is hidden. The latest `poll` is called each
 * time, so it may read the latest props and state.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { startPoller, type Poller } from '@/components/shared/poller';

interface Polling {
  /** True while the tab is hidden and polling waits. */
  hidden: boolean;
  /** Polls at once (after the call in flight, if any). */
  refresh(): void;
}

export function usePolling(
  poll: (signal: AbortSignal) => Promise<void> | void,
  everyMs: number,
  enabled = true,
): Polling {
  const [hidden, setHidden] = useState(false);
  const poller = useRef<Poller | null>(null);
  const onPoll = useEffectEvent(poll);

  useEffect(() => {
    if (!enabled) return;
    const started = startPoller((signal) => onPoll(signal), everyMs, document, { onHidden: setHidden });
    poller.current = started;
    return () => {
      started.stop();
      poller.current = null;
    };
  }, [everyMs, enabled]);

  const refresh = useCallback(() => poller.current?.now(), []);
  return { hidden, refresh };
}
