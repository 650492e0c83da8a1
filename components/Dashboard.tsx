'use client';
/** The whole page: status on top, charts and the sensor table, controls on the side. */
import { useCallback, useMemo, useState } from 'react';
import { chartedSensors } from './chartSensors';
import { ControlsPanel } from './ControlsPanel';
import { LatestBarChart } from './LatestBarChart';
import { LineChartPanel } from './LineChartPanel';
import { METRICS, type Metric } from './metrics';
import { SensorTable } from './SensorTable';
import { StatusBar } from './StatusBar';
import { useWindowpane } from './useWindowpane';

const NO_LATE: Record<string, number> = {};

export function Dashboard() {
  const pane = useWindowpane();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [metric, setMetric] = useState<Metric>('sum');
  const bySensor = pane.windows.bySensor;
  const charted = useMemo(() => chartedSensors(bySensor, selected), [bySensor, selected]);

  const toggle = useCallback((sensorId: string) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(sensorId)) next.add(sensorId);
      return next;
    });
  }, []);
  const clearSelection = useCallback(() => setSelected(new Set()), []);

  return (
    <div className="page">
      <header className="page-header">
        <h1>
          windowpane <span className="muted">live windowed aggregates from Kafka</span>
        </h1>
        <label className="metric-picker">
          Chart{' '}
          <select value={metric} onChange={(e) => setMetric(e.target.value as Metric)} data-testid="metric-select">
            {METRICS.map((m) => (
              <option key={m.key} value={m.key}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
      </header>
      <StatusBar connection={pane.connection} stats={pane.stats} config={pane.config} windows={pane.windows} latency={pane.latency} />
      <div className="layout">
        <main className="main-column">
          <LineChartPanel windows={bySensor} charted={charted} metric={metric} />
          <LatestBarChart windows={bySensor} charted={charted} metric={metric} />
          <SensorTable
            windows={bySensor}
            lateBySensor={pane.stats?.lateBySensor ?? NO_LATE}
            selected={selected}
            onToggle={toggle}
            onClearSelection={clearSelection}
          />
        </main>
        <ControlsPanel
          config={pane.config}
          simulator={pane.simulator}
          onConfig={pane.acceptConfig}
          onSimulator={pane.acceptSimulator}
        />
      </div>
    </div>
  );
}
