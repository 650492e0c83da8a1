'use client';
/**
 * What `load` answers, asked now and every `everyMs` while the tab is visible (usePolling.ts): the
 * latest data, kept through a failed answer, and the failure beside it. A new `load` (another
 * topic, another limit) is asked at once, and an answer to the query it replaced is dropped.
 */
import { useEffect, useRef, useState } from 'react';
import type { RequestResult } from '@/components/shared/request';
import { usePolling } from '@/components/shared/usePolling';

interface Polled<T> {
  data: T | null;
  /** What went wrong with the last answer (a clause), or null. */
  error: string | null;
  /** When the last successful answer came (epoch ms). */
  at: number | null;
  hidden: boolean;
  refresh(): void;
}

export function usePolledData<T>(load: () => Promise<RequestResult<T>>, everyMs: number): Polled<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; at: number | null }>({
    data: null,
    error: null,
    at: null,
  });
  const asked = useRef(load);
  const { hidden, refresh } = usePolling(async () => {
    const query = load;
    const result = await query();
    if (query !== asked.current) return;
    setState((prev) =>
      result.ok ? { data: result.data, error: null, at: Date.now() } : { ...prev, error: result.message },
    );
  }, everyMs);

  useEffect(() => {
    if (asked.current === load) return;
    asked.current = load;
    refresh();
  }, [load, refresh]);

  return { ...state, hidden, refresh };
}
