/** The group at a glance: total lag, members, lowest watermark, and rates from the last two samples. */
import type { OperationsOverview } from '@/lib/contract';
import type { Rates } from '@/lib/operations/rates';
import { localTime } from '@/components/shared/format';
import { behindNow } from '@/components/operations/opsText';

const count = new Intl.NumberFormat();
const rate = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export function Summary({ overview, rates, now }: { overview: OperationsOverview; rates: Rates | null; now: number }) {
  const { totals } = overview;
  const perSecond = (n: number | undefined) => (n === undefined ? '—' : `${rate.format(n)}/s`);
  const items: [string, string][] = [
    ['Lag', `${count.format(totals.lag)} records`],
    ['Workers', `${totals.members} (${overview.state})`],
    [
      'Lowest watermark',
      totals.lowestWatermarkMs === null
        ? 'none yet'
        : `${localTime(totals.lowestWatermarkMs, now)}, ${behindNow(totals.lowestWatermarkMs, now)}`,
    ],
    ['Windows', overview.counters ? perSecond(rates?.windowsPerSecond) : 'not known here'],
    ['Late readings', overview.counters ? perSecond(rates?.latePerSecond) : 'not known here'],
    ['Dead letters', overview.counters ? perSecond(rates?.deadLettersPerSecond) : 'not known here'],
  ];
  return (
    <dl className="ops-summary" data-testid="ops-summary">
      {items.map(([term, value]) => (
        <div key={term} className="ops-summary-item">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
