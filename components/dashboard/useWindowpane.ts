'use client';
/** The dashboard's live state (liveStore.ts), read through useSyncExternalStore. */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { RuntimeConfig, SimulatorStatus } from '@/lib/contract';
import { INITIAL_STATE, LiveStore, type LiveState } from '@/components/dashboard/liveStore';

export type { ConnectionState, DeliveryLatency, WindowsState } from '@/components/dashboard/liveStore';

interface Windowpane extends LiveState {
  /** For answers to HTTP calls, which can arrive before the matching socket event. */
  acceptConfig(config: RuntimeConfig): void;
  acceptSimulator(status: SimulatorStatus): void;
}

const serverSnapshot = () => INITIAL_STATE;

export function useWindowpane(): Windowpane {
  const [store] = useState(() => new LiveStore());
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, serverSnapshot);
  const acceptConfig = useCallback((c: RuntimeConfig) => store.acceptConfig(c), [store]);
  const acceptSimulator = useCallback((s: SimulatorStatus) => store.acceptSimulator(s), [store]);
  return { ...state, acceptConfig, acceptSimulator };
}
