'use client';
/**
 * The whole page: status on top; the window-size and simulator controls first in reading order
 * (beside the charts on a wide screen, a drawer at the top on a phone); then what to look at, the
 * charts and the sensor table.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { alertingSensors } from '@/lib/alerts/alertingSensors';
import { AlertsPanel } from '@/components/alerts/AlertsPanel';
import { chartedSensors } from '@/components/dashboard/chartSensors';
import { ControlsPanel } from '@/components/dashboard/ControlsPanel';
import { formatWindowSize, sensorCollator } from '@/components/shared/format';
import { LatestBarChart } from '@/components/dashboard/LatestBarChart';
import { LineChartPanel } from '@/components/dashboard/LineChartPanel';
import { RewindowPanel } from '@/components/rewindow/RewindowPanel';
import { SensorTable } from '@/components/dashboard/SensorTable';
import { liveness, StatusBar } from '@/components/dashboard/StatusBar';
import { ThemeToggle } from '@/components/shared/ThemeToggle';
import { ConfirmDialog } from '@/components/shared/ConfirmDialog';
import { TokenDialog } from '@/components/shared/TokenDialog';
import { useRangeWindows } from '@/components/dashboard/useRangeWindows';
import { useViewState } from '@/components/dashboard/useViewState';
import { useWindowpane } from '@/components/dashboard/useWindowpane';
import { ViewToolbar } from '@/components/dashboard/ViewToolbar';
import { useNow } from '@/components/shared/useNow';

const NO_LATE: Record<string, number> = {};
const NO_AGGREGATES: readonly string[] = [];

const WIDE_SCREEN = '(min-width: 1001px)';

function onScreenWidth(onChange: () => void): () => void {
  const query = window.matchMedia(WIDE_SCREEN);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** Wide on the server and until hydrated, then as the screen is. */
function useWideScreen(): boolean {
  return useSyncExternalStore(
    onScreenWidth,
    () => window.matchMedia(WIDE_SCREEN).matches,
    () => true,
  );
}

export function Dashboard() {
  const pane = useWindowpane();
  const [view, setView] = useViewState();
  const [paused, setPaused] = useState(false);
  const selected = useMemo(() => new Set(view.sensors), [view.sensors]);
  const now = useNow(1_000);
  const range = useRangeWindows(view, pane.windows, paused, view.sensors, now);
  const charted = useMemo(() => chartedSensors(range.windows, selected), [range.windows, selected]);
  const alerting = useMemo(() => alertingSensors(pane.alerts), [pane.alerts]);
  const sensorIds = useMemo(() => [...range.windows.keys()].sort(sensorCollator.compare), [range.windows]);
  const wide = useWideScreen();
  const [announcement, setAnnouncement] = useState('');
  const lastSize = useRef<string | null>(null);
  const sizeText = pane.config ? formatWindowSize(pane.config) : null;

  useEffect(() => {
    if (sizeText !== null && lastSize.current !== null && sizeText !== lastSize.current)
      setAnnouncement(`Window size is now ${sizeText}.`);
    lastSize.current = sizeText;
  }, [sizeText]);

  // New alerts are announced (politely, once each); windows are not.
  const announcedAlert = useRef<string | null>(null);
  useEffect(() => {
    const newest = pane.alerts[0];
    if (!newest || newest.id === announcedAlert.current) return;
    if (announcedAlert.current !== null && newest.kind === 'alert')
      setAnnouncement(`Alert: ${newest.ruleName} on sensor ${newest.sensorId}.`);
    announcedAlert.current = newest.id;
  }, [pane.alerts]);

  const toggle = useCallback(
    (sensorId: string) => {
      const next = new Set(view.sensors);
      if (!next.delete(sensorId)) next.add(sensorId);
      setView({ sensors: [...next] });
    },
    [view.sensors, setView],
  );
  const clearSelection = useCallback(() => setView({ sensors: [] }), [setView]);
  const zoom = useCallback(
    (from: number, to: number) => setView({ range: { kind: 'custom', from, to } }, 'push'),
    [setView],
  );

  const viewKind = view.range.kind === 'custom' ? 'fixed range' : paused ? 'paused' : 'live';
  const state = liveness({
    connection: pane.connection,
    kafkaConnected: pane.stats ? pane.stats.kafkaConnected : null,
    view: viewKind,
    latestWindowEnd: pane.windows.latestWindowEnd,
    windowSeconds: pane.config?.windowSeconds ?? null,
    now,
  });

  return (
    <>
      <a className="skip-link" href="#charts">
        Skip to the charts
      </a>
      <TokenDialog />
      <ConfirmDialog />
      <div className="page">
        <header className="page-header">
          <h1>
            windowpane <span className="muted">live windowed aggregates from Kafka</span>
          </h1>
          <nav aria-label="Pages" className="page-nav">
            <a href="/operations">Operations</a>
            <ThemeToggle />
          </nav>
        </header>
        <StatusBar
          connection={pane.connection}
          refusal={pane.refusal}
          stats={pane.stats}
          config={pane.config}
          windows={pane.windows}
          latency={pane.latency}
          state={state}
        />
        <div className="layout">
          <details className="controls-drawer" open={wide || undefined} key={wide ? 'wide' : 'narrow'}>
            <summary>Window size and simulator</summary>
            <ControlsPanel
              config={pane.config}
              simulator={pane.simulator}
              onConfig={pane.acceptConfig}
              onSimulator={pane.acceptSimulator}
            />
          </details>
          <main className="main-column" id="charts" tabIndex={-1}>
            <ViewToolbar
              view={view}
              onView={setView}
              paused={paused}
              onPause={setPaused}
              newSincePause={range.newSincePause}
              shown={{ from: range.from, to: range.to }}
              exportSensors={charted.reason === 'selected' ? view.sensors : []}
              aggregates={pane.config?.aggregates ?? NO_AGGREGATES}
            />
            {range.error && (
              <p className="notice bad" role="alert">
                The windows of this range could not be read: {range.error}.
              </p>
            )}
            {range.truncated && (
              <p className="notice warn">
                This range holds more windows than the page keeps; it is shown cut short. Choose a shorter range or
                fewer sensors.
              </p>
            )}
            {range.loading && (
              <p className="notice" role="status">
                Reading the windows of this range…
              </p>
            )}
            <LineChartPanel
              windows={range.windows}
              charted={charted}
              metric={view.metric}
              perSecond={view.perSecond}
              from={range.from}
              to={range.to}
              onZoom={zoom}
              alerts={pane.alerts}
            />
            <LatestBarChart windows={range.windows} charted={charted} metric={view.metric} />
            <SensorTable
              windows={range.windows}
              lateBySensor={pane.stats?.lateBySensor ?? NO_LATE}
              alerting={alerting}
              selected={selected}
              onToggle={toggle}
              onClearSelection={clearSelection}
            />
            <AlertsPanel sensors={sensorIds} aggregates={pane.config?.aggregates ?? NO_AGGREGATES} />
            <RewindowPanel sensors={sensorIds} />
          </main>
        </div>
        <div className="sr-only" aria-live="polite" data-testid="announcer">
          {announcement}
        </div>
      </div>
    </>
  );
}
