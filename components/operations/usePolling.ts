'use client';
/**
 * Loads something now and again every `periodMs`, but not while the tab is hidden (no one is
 * looking, and an operator's forgotten tab should not load the cluster); it loads at once when the
 * tab shows again. One request at a time: a slow answer is never overtaken by the next.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Loaded } from '@/components/operations/operationsApi';

export interface Polled<T> {
  data: T | null;
  error: string | null;
  /** When the last successful answer came (epoch ms). */
  at: number | null;
  hidden: boolean;
  refresh(): void;
}

export function usePolling<T>(load: () => Promise<Loaded<T>>, periodMs: number): Polled<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; at: number | null }>({ data: null, error: null, at: null });
  const [hidden, setHidden] = useState(false);
  const busy = useRef(false);
  const latestLoad = useRef(load);
  latestLoad.current = load;

  const refresh = useCallback(function run() {
    if (busy.current || document.hidden) return;
    busy.current = true;
    const loader = latestLoad.current;
    void loader().then((result) => {
      busy.current = false;
      // An answer for a query that has changed since (another topic, another limit) is dropped,
      // and the new query asked at once.
      if (loader !== latestLoad.current) return run();
      setState((prev) => (result.ok ? { data: result.value, error: null, at: Date.now() } : { ...prev, error: result.error }));
    });
  }, []);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, periodMs);
    const onVisibility = () => {
      setHidden(document.hidden);
      if (!document.hidden) refresh();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [refresh, periodMs, load]);

  return { ...state, hidden, refresh };
}
