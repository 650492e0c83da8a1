'use client';
/**
 * Every sensor's latest window and late count, sortable and searchable. The rows are virtualised
 * (TanStack Virtual): only those in view, and a few around them, are in the page, so 10 000 sensors
 * scroll as smoothly as ten. Ticking a row selects that sensor for the charts.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, useState } from 'react';
import type { WindowResultRecord } from '@/lib/contract';
import { BASE_METRICS, type BaseMetric } from '@/lib/windowMetrics';
import { formatMetric, formatTime, sensorCollator } from '@/components/shared/format';
import { latestOf, type WindowsBySensor } from '@/components/dashboard/windowsBySensor';

/** A row's height in px (24 px checkbox, padding, border), for the virtualiser's first estimate. */
const ROW_HEIGHT = 37;

interface SensorRow extends Pick<WindowResultRecord, BaseMetric> {
  sensorId: string;
  /** No window for more than two window lengths, against the newest window of all. */
  stale: boolean;
  lastSeen: number;
  late: number;
}

type SortKey = keyof SensorRow;
const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'sensorId', label: 'Sensor', numeric: false },
  ...BASE_METRICS.map((m) => ({ key: m.key, label: m.key === 'sum' ? 'Latest sum' : m.label, numeric: true })),
  { key: 'lastSeen', label: 'Last seen (window end)', numeric: true },
  { key: 'late', label: 'Late', numeric: true },
];

function compareBy(key: SortKey, descending: boolean) {
  const sign = descending ? -1 : 1;
  return (a: SensorRow, b: SensorRow) => {
    const primary =
      key === 'sensorId' ? sensorCollator.compare(a.sensorId, b.sensorId) : (a[key] as number) - (b[key] as number);
    return sign * primary || sensorCollator.compare(a.sensorId, b.sensorId);
  };
}

export const SensorTable = memo(function SensorTable({
  windows,
  lateBySensor,
  alerting,
  selected,
  onToggle,
  onClearSelection,
}: {
  windows: WindowsBySensor;
  lateBySensor: Record<string, number>;
  /** Sensors an alert rule holds for now (lib/alerts/alertingSensors.ts). */
  alerting: ReadonlyMap<string, { ruleId: string; since: number }>;
  selected: ReadonlySet<string>;
  onToggle(sensorId: string): void;
  onClearSelection(): void;
}) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'sensorId', descending: false });
  const [search, setSearch] = useState('');
  const scroller = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => {
    let newest = 0;
    for (const list of windows.values()) newest = Math.max(newest, latestOf(list)?.windowEnd ?? 0);
    const needle = search.trim().toLowerCase();
    const out: SensorRow[] = [];
    for (const [sensorId, list] of windows) {
      const w = latestOf(list);
      if (!w || (needle && !sensorId.toLowerCase().includes(needle))) continue;
      const stale = newest - w.windowEnd > 2 * (w.windowEnd - w.windowStart);
      out.push({
        sensorId,
        stale,
        count: w.count,
        sum: w.sum,
        min: w.min,
        max: w.max,
        mean: w.mean,
        lastSeen: w.windowEnd,
        late: lateBySensor[sensorId] ?? 0,
      });
    }
    return out.sort(compareBy(sort.key, sort.descending));
  }, [windows, lateBySensor, sort, search]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  // Rows above and below the ones drawn are stood in for by one spacer each, so the table keeps its
  // real <table> semantics (and a screen reader its row count and indexes) while scrolling.
  const padTop = items.length > 0 ? items[0].start : 0;
  const padBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const visible = items.map((item) => ({ row: rows[item.index], index: item.index }));

  const sortBy = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, descending: !s.descending } : { key, descending: key !== 'sensorId' }));

  return (
    <section className="panel" data-testid="sensor-table">
      <header className="panel-header">
        <h2>Sensors</h2>
        <span className="muted">
          {rows.length} sensor{rows.length === 1 ? '' : 's'}
          {selected.size > 0 ? ` · ${selected.size} selected for the charts` : ' · tick rows to chart them'}
        </span>
        {selected.size > 0 && (
          <button type="button" className="link" onClick={onClearSelection} data-testid="clear-selection">
            clear selection
          </button>
        )}
        <label className="search">
          Find sensor{' '}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="sensor-search" />
        </label>
      </header>
      <div className="table-scroll sensor-scroll" ref={scroller} tabIndex={0} role="region" aria-label="Sensors table">
        <table aria-rowcount={rows.length + 1}>
          <caption className="sr-only">Latest window of each sensor; sort by a column with its header button</caption>
          <thead>
            <tr>
              <th className="check">
                <span className="sr-only">Chart</span>
              </th>
              {COLUMNS.map((c) => (
                <th
                  key={c.key}
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" className="sort" onClick={() => sortBy(c.key)}>
                    {c.label}
                    {sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && (
              <tr aria-hidden="true" className="spacer">
                <td colSpan={COLUMNS.length + 1} style={{ height: padTop, padding: 0, border: 0 }} />
              </tr>
            )}
            {visible.map(({ row: r, index }) => (
              <tr
                key={r.sensorId}
                aria-rowindex={index + 2}
                className={selected.has(r.sensorId) ? 'selected' : undefined}
                onClick={() => onToggle(r.sensorId)}
                data-sensor-id={r.sensorId}
              >
                <td className="check">
                  <input
                    type="checkbox"
                    checked={selected.has(r.sensorId)}
                    onChange={() => onToggle(r.sensorId)}
                    onClick={(e) => e.stopPropagation()}
                    aria-label={`chart sensor ${r.sensorId}`}
                  />
                </td>
                <td>
                  {r.sensorId}
                  {r.stale && (
                    <span className="badge" title="no window for more than two window lengths">
                      stale
                    </span>
                  )}
                  {alerting.has(r.sensorId) && (
                    <span
                      className="badge alerting"
                      title={`alert rule ${alerting.get(r.sensorId)!.ruleId} holds`}
                      data-testid="alerting-badge"
                    >
                      alerting
                    </span>
                  )}
                </td>
                {BASE_METRICS.map((m) => (
                  <td key={m.key} className="num">
                    {formatMetric(r, m.key)}
                  </td>
                ))}
                <td className="num">{formatTime(r.lastSeen)}</td>
                <td className={r.late > 0 ? 'num warn' : 'num'}>{r.late}</td>
              </tr>
            ))}
            {padBottom > 0 && (
              <tr aria-hidden="true" className="spacer">
                <td colSpan={COLUMNS.length + 1} style={{ height: padBottom, padding: 0, border: 0 }} />
              </tr>
            )}
            {rows.length === 0 && (
              <tr>
                <td colSpan={COLUMNS.length + 1} className="empty">
                  No sensors yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
});
