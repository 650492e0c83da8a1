'use client';
/** One line of health: connections, throughput, watermark delay, totals and the config in force. */
import type { ReactNode } from 'react';
import type { RuntimeConfig, Stats } from '@/lib/contract';
import { formatDelay, formatNumber, formatSeconds, formatTime } from './format';
import type { ConnectionState, DeliveryLatency, WindowsState } from './useWindowpane';

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
  return `${formatSeconds(config.pending.windowSeconds)} windows from ${formatTime(config.pending.effectiveFrom)}`;
}

export function StatusBar({
  connection,
  stats,
  config,
  windows,
  latency,
}: {
  connection: ConnectionState;
  stats: Stats | null;
  config: RuntimeConfig | null;
  windows: WindowsState;
  latency: DeliveryLatency | null;
}) {
  const kafka = stats ? (stats.kafkaConnected ? 'connected' : 'disconnected') : 'unknown';
  const pending = pendingText(config);
  return (
    <div className="status-bar">
      <Item label="socket" tone={connection === 'connected' ? 'ok' : 'bad'}>
        <span data-testid="socket-status">{connection}</span>
      </Item>
      <Item label="kafka" tone={kafka === 'connected' ? 'ok' : kafka === 'disconnected' ? 'bad' : undefined}>
        <span data-testid="kafka-status">{kafka}</span>
      </Item>
      <Item label="workers" tone={stats && stats.workers === 0 ? 'warn' : undefined}>
        <span data-testid="worker-count" title={stats ? `partitions ${stats.partitions.join(', ') || 'none'}` : undefined}>
          {formatNumber(stats?.workers)}
        </span>
      </Item>
      <Item label="readings/s in">{formatNumber(stats?.readingsPerSecond)}</Item>
      <Item label="windows/s out">{formatNumber(stats?.windowsPerSecond)}</Item>
      <Item label="watermark delay" tone={stats?.watermarkDelayMs != null && stats.watermarkDelayMs > 10_000 ? 'warn' : undefined}>
        <span data-testid="watermark-delay">{formatDelay(stats?.watermarkDelayMs)}</span>
      </Item>
      <Item label="late" tone={stats && stats.lateTotal > 0 ? 'warn' : undefined}>
        <span data-testid="late-total">{formatNumber(stats?.lateTotal)}</span>
      </Item>
      <Item label="invalid" tone={stats && stats.invalidTotal > 0 ? 'warn' : undefined}>
        <span data-testid="invalid-total">{formatNumber(stats?.invalidTotal)}</span>
      </Item>
      <Item label="close → here p50 / p99" tone={latency && latency.p99 > 1_000 ? 'warn' : undefined}>
        <span data-testid="delivery-latency">{latency ? `${formatNumber(latency.p50)} / ${formatNumber(latency.p99)} ms` : '—'}</span>
      </Item>
      <Item label="windows received">
        <span data-testid="window-count">{windows.received}</span>
      </Item>
      <Item label="newest window end">
        {formatTime(windows.latestWindowEnd || null)}{' '}
        <span className="epoch" data-testid="latest-window-end">
          {windows.latestWindowEnd > 0 ? windows.latestWindowEnd : ''}
        </span>
      </Item>
      <Item label="config in effect">
        <span data-testid="config-window-seconds">{config ? config.windowSeconds : ''}</span>
        {config ? ' s windows, ' : ''}
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
