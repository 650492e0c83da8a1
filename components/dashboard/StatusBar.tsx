'use client';
/** One line of health: connections, throughput, watermark delay, totals and the config in force. */
import type { ReactNode } from 'react';
import type { RuntimeConfig, Stats } from '@/lib/contract';
import { formatDelay, formatNumber, formatTime, formatWindowSize } from '@/components/shared/format';
import type { ConnectionState, DeliveryLatency, WindowsState } from '@/components/dashboard/useWindowpane';

function Item({ label, children, tone }: { label: string; children: ReactNode; tone?: 'ok' | 'bad' | 'warn' }) {
  return (
    <div className={`status-item${tone ? ` ${tone}` : ''}`}>
      <span className="status-label">{label}</span>
      <span className="status-value">{children}</span>
    </div>
  );
}

export function pendingText(config: RuntimeConfig | null): string {
  if (!config?.pending) return '';
  return `${formatWindowSize(config.pending)} windows from ${formatTime(config.pending.effectiveFrom)}`;
}

type Liveness = 'live' | 'paused' | 'fixed range' | 'stale' | 'reconnecting' | 'Kafka down' | 'starting';

/**
 * One word for what the charts show. Stale: no new window for three window lengths (wall clock),
 * though socket and Kafka are up — the sensors or the worker have stopped.
 */
export function liveness(input: {
  connection: ConnectionState;
  kafkaConnected: boolean | null;
  view: 'live' | 'paused' | 'fixed range';
  latestWindowEnd: number;
  windowSeconds: number | null;
  now: number;
}): Liveness {
  if (input.connection !== 'connected') return 'reconnecting';
  if (input.kafkaConnected === false) return 'Kafka down';
  if (input.view !== 'live') return input.view;
  if (input.latestWindowEnd === 0) return 'starting';
  const windowMs = (input.windowSeconds ?? 1) * 1000;
  return input.now - input.latestWindowEnd > 3 * windowMs + 5_000 ? 'stale' : 'live';
}

const LIVENESS_TONE: Record<Liveness, 'ok' | 'bad' | 'warn' | undefined> = {
  live: 'ok',
  paused: 'warn',
  'fixed range': undefined,
  stale: 'warn',
  reconnecting: 'bad',
  'Kafka down': 'bad',
  starting: undefined,
};

export function StatusBar({
  connection,
  refusal,
  stats,
  config,
  windows,
  latency,
  state,
}: {
  connection: ConnectionState;
  /** The server's reason for refusing the socket (MAX_CLIENTS), shown instead of the state. */
  refusal?: string | null;
  stats: Stats | null;
  config: RuntimeConfig | null;
  windows: WindowsState;
  latency: DeliveryLatency | null;
  state: Liveness;
}) {
  const kafka = stats ? (stats.kafkaConnected ? 'connected' : 'disconnected') : 'unknown';
  const pending = pendingText(config);
  return (
    <div className="status-bar" role="group" aria-label="Status">
      <Item label="view" tone={LIVENESS_TONE[state]}>
        <span data-testid="liveness">{state}</span>
      </Item>
      <Item label="socket" tone={connection === 'connected' ? 'ok' : 'bad'}>
        <span data-testid="socket-status">{refusal ? `refused: ${refusal}` : connection}</span>
      </Item>
      <Item label="kafka" tone={kafka === 'connected' ? 'ok' : kafka === 'disconnected' ? 'bad' : undefined}>
        <span data-testid="kafka-status">{kafka}</span>
      </Item>
      <Item label="workers" tone={stats && stats.workers === 0 ? 'warn' : undefined}>
        <span
          data-testid="worker-count"
          title={stats ? `partitions ${stats.partitions.join(', ') || 'none'}` : undefined}
        >
          {formatNumber(stats?.workers)}
        </span>
      </Item>
      <Item label="readings/s in">{formatNumber(stats?.readingsPerSecond)}</Item>
      <Item label="windows/s out">{formatNumber(stats?.windowsPerSecond)}</Item>
      <Item
        label="event-time lag"
        tone={stats?.watermarkDelayMs != null && stats.watermarkDelayMs > 10_000 ? 'warn' : undefined}
      >
        <span data-testid="watermark-delay">{formatDelay(stats?.watermarkDelayMs)}</span>
      </Item>
      <Item label="late" tone={stats && stats.lateTotal > 0 ? 'warn' : undefined}>
        <span data-testid="late-total">{formatNumber(stats?.lateTotal)}</span>
      </Item>
      <Item label="invalid" tone={stats && stats.invalidTotal > 0 ? 'warn' : undefined}>
        <span data-testid="invalid-total">{formatNumber(stats?.invalidTotal)}</span>
      </Item>
      <Item label="delivery p50 / p99" tone={latency && latency.p99 > 1_000 ? 'warn' : undefined}>
        <span data-testid="delivery-latency">
          {latency ? `${formatNumber(latency.p50)} / ${formatNumber(latency.p99)} ms` : '—'}
        </span>
      </Item>
      <Item label="windows received">
        <span data-testid="window-count">{windows.received}</span>
      </Item>
      <Item label="newest window end">
        <time
          dateTime={windows.latestWindowEnd > 0 ? new Date(windows.latestWindowEnd).toISOString() : undefined}
          data-epoch-ms={windows.latestWindowEnd}
          data-testid="latest-window-end"
        >
          {formatTime(windows.latestWindowEnd || null)}
        </time>
      </Item>
      <Item label="config in effect">
        {config?.calendar ? (
          <span data-testid="config-calendar">{formatWindowSize(config)} windows, </span>
        ) : (
          <>
            <span data-testid="config-window-seconds">{config ? config.windowSeconds : ''}</span>
            {config ? ' s windows, ' : ''}
          </>
        )}
        <span data-testid="config-lateness-seconds">{config ? config.allowedLatenessSeconds : ''}</span>
        {config ? ' s lateness' : <span className="muted">—</span>}
      </Item>
      <Item label="pending change" tone={pending ? 'warn' : undefined}>
        <span data-testid="config-pending">{pending}</span>
        {pending ? '' : <span className="muted">none</span>}
      </Item>
    </div>
  );
}
