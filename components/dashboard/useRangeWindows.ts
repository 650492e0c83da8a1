'use client';
/**
 * The windows of the range being looked at: what `/api/windows` holds for it, with the live
 * windows that arrive afterwards added on while the range follows the clock. Paused, the view
 * stays as it was and the windows that arrived meanwhile are only counted.
 */
import { useEffect, useMemo, useState } from 'react';
import type { WindowResultRecord } from '@/lib/contract';
import { upsertWindow } from '@/lib/feed/upsert';
import { fetchRange } from '@/components/dashboard/rangeFetch';
import { rangeBounds, type ViewState } from '@/components/dashboard/viewState';
import type { WindowsState } from '@/components/dashboard/useWindowpane';
import type { WindowsBySensor } from '@/components/dashboard/windowsBySensor';

interface RangeWindows {
  windows: WindowsBySensor;
  from: number;
  to: number;
  loading: boolean;
  /** A sentence for the user, or null. */
  error: string | null;
  truncated: boolean;
  /** While paused: windows that arrived since. */
  newSincePause: number;
}

function bySensor(records: readonly WindowResultRecord[]): Map<string, WindowResultRecord[]> {
  const map = new Map<string, WindowResultRecord[]>();
  for (const w of records) {
    let list = map.get(w.sensorId);
    if (!list) map.set(w.sensorId, (list = []));
    upsertWindow(list, w);
  }
  return map;
}

/**
 * Adds the live windows newer than what is held (copy-on-write per sensor that changed) and drops
 * those that left a range following the clock. Cumulative, because the live feed keeps only the
 * newest windows of each sensor.
 */
function appendLive(held: WindowsBySensor, live: WindowsBySensor, from: number): WindowsBySensor {
  const out = new Map(held);
  for (const [id, list] of live) {
    const kept = out.get(id);
    const lastStart = kept && kept.length > 0 ? kept[kept.length - 1].windowStart : Number.NEGATIVE_INFINITY;
    const newer = list.filter((w) => w.windowStart > lastStart && w.windowStart >= from);
    if (newer.length === 0) continue;
    const stillIn = kept ? kept.findIndex((w) => w.windowStart >= from) : -1;
    const base = kept && stillIn > 0 ? kept.slice(stillIn) : kept && stillIn === -1 ? [] : (kept ?? []);
    out.set(id, base.concat(newer));
  }
  return out;
}

/**
 * `now` is the page's clock (useNow), read once a second: a render must not read the clock itself,
 * and a range that follows the clock moves on with it and with the newest live window.
 */
export function useRangeWindows(
  view: ViewState,
  live: WindowsState,
  paused: boolean,
  sensors: readonly string[],
  now: number,
): RangeWindows {
  const [held, setHeld] = useState<{ key: string; windows: WindowsBySensor; truncated: boolean } | null>(null);
  const [failed, setFailed] = useState<{ key: string; message: string } | null>(null);
  // A recent range is read once from where it stood when chosen; the live feed carries it on.
  const [anchor, setAnchor] = useState({ range: view.range, at: now });
  if (anchor.range !== view.range) setAnchor({ range: view.range, at: now });
  const bounds = useMemo(() => rangeBounds(anchor.range, anchor.at), [anchor]);
  const sensorKey = sensors.join('\u0000');
  const key = `${bounds.from}-${bounds.to}-${sensorKey}`;
  const following = view.range.kind === 'recent';
  const spanMs = bounds.to - 1 - bounds.from;
  const error = failed?.key === key ? failed.message : null;

  useEffect(() => {
    const controller = new AbortController();
    const chosen = sensorKey === '' ? [] : sensorKey.split('\u0000');
    void fetchRange(bounds.from, bounds.to, chosen, controller.signal).then((range) => {
      if (controller.signal.aborted) return;
      if (range.ok) setHeld({ key, windows: bySensor(range.data.windows), truncated: range.data.truncated });
      else setFailed({ key, message: range.message });
    });
    return () => controller.abort();
  }, [key, bounds.from, bounds.to, sensorKey]);

  // Each new state of the live feed is added on to the range read (set while rendering: React
  // renders again at once, before anything is drawn).
  const [added, setAdded] = useState<WindowsBySensor | null>(null);
  if (following && held?.key === key && added !== live.bySensor) {
    setAdded(live.bySensor);
    const chosen = sensorKey === '' ? null : new Set(sensorKey.split('\u0000'));
    const source = chosen ? new Map([...live.bySensor].filter(([id]) => chosen.has(id))) : live.bySensor;
    setHeld({ ...held, windows: appendLive(held.windows, source, now - spanMs) });
  }

  const liveNow = Math.max(now, live.latestWindowEnd);
  const windows = held?.windows ?? (following ? live.bySensor : new Map());
  const from = following ? liveNow - spanMs : bounds.from;
  const to = following ? liveNow + 1 : bounds.to;
  // What was shown when the view was paused; kept as state, set while rendering (React re-renders
  // at once, before anything is drawn), so the paused view never moves.
  const [frozen, setFrozen] = useState<{ windows: WindowsBySensor; received: number; from: number; to: number } | null>(
    null,
  );
  if (paused && !frozen) setFrozen({ windows, received: live.received, from, to });
  if (!paused && frozen) setFrozen(null);
  const shown = paused ? frozen : null;

  return {
    windows: shown?.windows ?? windows,
    from: shown?.from ?? from,
    to: shown?.to ?? to,
    loading: held?.key !== key && error === null,
    error,
    truncated: held?.truncated ?? false,
    newSincePause: shown ? live.received - shown.received : 0,
  };
}
