'use client';
/**
 * The wall clock, re-read every `periodMs`: for "stale" and "n s behind now", which a page that
 * only re-renders when data arrives would never update once data stops.
 */
import { useEffect, useState } from 'react';

export function useNow(periodMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
