'use client';
/** What to look at: time range, live or paused, the aggregate charted, and export of what is shown. */
import { useState } from 'react';
import { exportWindows } from '@/components/dashboard/exportWindows';
import { formatNumber } from '@/components/shared/format';
import { metricsFor, type WindowMetric } from '@/lib/windowMetrics';
import {
  RECENT_RANGES,
  ratesApply,
  type RecentKey,
  type TimeRange,
  type ViewState,
} from '@/components/dashboard/viewState';

/** `datetime-local` wants local time without a zone. */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

/** Its inputs start from the range shown; the toolbar keys it by that range, so a zoom refills them. */
function CustomRange({ range, onApply }: { range: { from: number; to: number }; onApply(range: TimeRange): void }) {
  const [from, setFrom] = useState(() => toLocalInput(range.from));
  const [to, setTo] = useState(() => toLocalInput(range.to));
  const [problem, setProblem] = useState<string | null>(null);
  const apply = () => {
    const f = new Date(from).getTime();
    const t = new Date(to).getTime();
    if (!Number.isFinite(f) || !Number.isFinite(t)) return setProblem('Enter both a start and an end time.');
    if (t <= f) return setProblem('The end must be after the start.');
    setProblem(null);
    onApply({ kind: 'custom', from: f, to: t });
  };
  return (
    <form
      className="custom-range"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <LocalTimeField label="From" value={from} onChange={setFrom} testId="range-from" />
      <LocalTimeField label="To" value={to} onChange={setTo} testId="range-to" />
      <button type="submit" data-testid="range-apply">
        Show range
      </button>
      {problem && (
        <span className="form-error" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}

export function ViewToolbar({
  view,
  onView,
  paused,
  onPause,
  newSincePause,
  shown,
  exportSensors,
  aggregates,
}: {
  view: ViewState;
  onView(change: Partial<ViewState>, how?: 'push' | 'replace'): void;
  paused: boolean;
  onPause(paused: boolean): void;
  newSincePause: number;
  shown: { from: number; to: number };
  exportSensors: readonly string[];
  /** The extra aggregates the windows carry (GET /api/config), offered beside the base ones. */
  aggregates: readonly string[];
}) {
  const [exporting, setExporting] = useState<string | null>(null);
  const custom = view.range.kind === 'custom';
  const live = !custom && !paused;
  const doExport = async (format: 'csv' | 'json') => {
    setExporting(`Preparing the ${format.toUpperCase()} file…`);
    const exported = await exportWindows(format, shown.from, shown.to, exportSensors);
    if (!exported.ok) return setExporting(`The export failed: ${exported.message}.`);
    const { count, truncated } = exported.data;
    setExporting(
      `${formatNumber(count)} windows exported${truncated ? ' (cut short: choose a shorter range or fewer sensors)' : ''}.`,
    );
  };
  return (
    <section className="toolbar panel" aria-label="View">
      <fieldset className="segmented">
        <legend>Time range</legend>
        {RECENT_RANGES.map((r) => (
          <label key={r.key} className={view.range.kind === 'recent' && view.range.key === r.key ? 'on' : undefined}>
            <input
              type="radio"
              name="range"
              value={r.key}
              checked={view.range.kind === 'recent' && view.range.key === r.key}
              onChange={() => onView({ range: { kind: 'recent', key: r.key as RecentKey } }, 'push')}
            />
            {r.label}
          </label>
        ))}
        <label className={custom ? 'on' : undefined}>
          <input
            type="radio"
            name="range"
            value="custom"
            checked={custom}
            onChange={() => onView({ range: { kind: 'custom', from: shown.from, to: shown.to } }, 'push')}
          />
          Custom
        </label>
      </fieldset>
      {custom && view.range.kind === 'custom' && (
        <CustomRange
          key={`${view.range.from}-${view.range.to}`}
          range={view.range}
          onApply={(range) => onView({ range }, 'push')}
        />
      )}
      <div className="toolbar-group">
        {!custom && (
          <button type="button" aria-pressed={paused} onClick={() => onPause(!paused)} data-testid="pause">
            {paused ? 'Resume' : 'Pause'}
          </button>
        )}
        {(custom || paused) && (
          <button
            type="button"
            onClick={() => {
              onPause(false);
              if (custom) onView({ range: { kind: 'recent', key: '5m' } }, 'push');
            }}
            data-testid="back-to-live"
          >
            Back to live
          </button>
        )}
        <span className="live-state" data-testid="view-state">
          {live ? 'following live' : custom ? 'fixed range' : `paused · ${formatNumber(newSincePause)} new`}
        </span>
      </div>
      <div className="toolbar-group">
        <label>
          Metric{' '}
          <select
            value={view.metric}
            onChange={(e) =>
              onView({
                metric: e.target.value as WindowMetric,
                perSecond: view.perSecond && ratesApply(e.target.value as WindowMetric),
              })
            }
            data-testid="metric-select"
          >
            {metricsFor([...aggregates, view.metric]).map((m) => (
              <option key={m.key} value={m.key}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label className={ratesApply(view.metric) ? undefined : 'disabled'}>
          <input
            type="checkbox"
            checked={view.perSecond}
            disabled={!ratesApply(view.metric)}
            onChange={(e) => onView({ perSecond: e.target.checked })}
            data-testid="per-second"
          />{' '}
          per second
        </label>
      </div>
      <div className="toolbar-group">
        <button type="button" onClick={() => void doExport('csv')} data-testid="export-csv">
          Export CSV
        </button>
        <button type="button" onClick={() => void doExport('json')} data-testid="export-json">
          Export JSON
        </button>
        {exporting && (
          <span className="muted" role="status">
            {exporting}
          </span>
        )}
      </div>
    </section>
  );
}

function LocalTimeField(props: { label: string; value: string; onChange: (value: string) => void; testId: string }) {
  return (
    <label>
      {props.label}{' '}
      <input
        type="datetime-local"
        step={1}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
    </label>
  );
}
