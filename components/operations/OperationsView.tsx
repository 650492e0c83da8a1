'use client';
/**
 * The Operations page: the worker group's progress per partition (lag, watermark), its members,
 * and the records set aside (dead letters, late readings), with redrive. Refreshes every few
 * seconds while the tab is visible.
 */
import { useEffect, useRef, useState } from 'react';
import type { OperationsOverview } from '@/lib/contract';
import { ratesBetween, type Rates } from '@/lib/operations/rates';
import { AsideInspector } from '@/components/operations/AsideInspector';
import { localTime } from '@/components/shared/format';
import { MembersTable } from '@/components/operations/MembersTable';
import { operationsApi } from '@/components/operations/operationsApi';
import { PartitionTable } from '@/components/operations/PartitionTable';
import { Summary } from '@/components/operations/Summary';
import { usePolledData } from '@/components/operations/usePolledData';
import { ConfirmDialog } from '@/components/shared/ConfirmDialog';
import { TokenDialog } from '@/components/shared/TokenDialog';
import { useNow } from '@/components/shared/useNow';

const REFRESH_MS = 3_000;

/** Rates from the two latest samples of the group's counters. */
function useRates(counters: OperationsOverview['counters'] | undefined): Rates | null {
  const previous = useRef<OperationsOverview['counters']>(null);
  const [rates, setRates] = useState<Rates | null>(null);
  useEffect(() => {
    if (!counters || counters.at === previous.current?.at) return;
    const next = ratesBetween(previous.current, counters);
    if (next) setRates(next);
    previous.current = counters;
  }, [counters]);
  return rates;
}

export function OperationsView() {
  const overview = usePolledData(operationsApi.overview, REFRESH_MS);
  const now = useNow(1_000);
  const rates = useRates(overview.data?.counters);
  const o = overview.data;

  return (
    <div className="page ops-page">
      <TokenDialog />
      <ConfirmDialog />
      <header className="page-header">
        <h1>
          Operations <span className="muted">{o ? `worker group ${o.groupId}` : 'worker group'}</span>
        </h1>
        <nav aria-label="Pages" className="ops-nav">
          <a href="/">Back to the dashboard</a>
        </nav>
      </header>
      <p className="muted ops-freshness" data-testid="ops-freshness">
        {overview.hidden
          ? 'Refreshing is paused while this tab is hidden.'
          : overview.at
            ? `Updated at ${localTime(overview.at, now)}; refreshes every ${REFRESH_MS / 1000} s.`
            : 'Loading…'}
      </p>
      {overview.error && (
        <p className="ops-notice bad" role="alert">
          The group&apos;s progress could not be read: {overview.error}.
          {o ? ' The figures below are from the last answer.' : ''}
        </p>
      )}
      <main className="ops-main">
        {o && (
          <>
            <section className="panel ops-section" aria-labelledby="progress-heading">
              <h2 id="progress-heading">Progress</h2>
              <Summary overview={o} rates={rates} now={now} />
              <PartitionTable
                title="Input partitions (first stage)"
                progress={o.input}
                now={now}
                testId="input-partitions"
              />
              {o.partials && (
                <PartitionTable
                  title="Partials partitions (merge stage)"
                  progress={o.partials}
                  now={now}
                  testId="partials-partitions"
                />
              )}
            </section>
            <section className="panel ops-section" aria-labelledby="members-heading">
              <h2 id="members-heading">Workers</h2>
              <MembersTable members={o.members} state={o.state} groupId={o.groupId} />
            </section>
          </>
        )}
        <AsideInspector now={now} />
      </main>
    </div>
  );
}
