/** Per partition: the worker group's committed offset, the end, the lag, and the checkpoint's watermark. */
import type { TopicProgress } from '@/lib/contract';
import { localTime, isoTime } from '@/components/shared/format';
import { behindNow } from '@/components/operations/opsText';
import { ScrollTable } from '@/components/operations/ScrollTable';

const NUMERIC_COLUMNS = ['Partition', 'Committed', 'End', 'Lag'];

const count = new Intl.NumberFormat();

export function PartitionTable({
  title,
  progress,
  now,
  testId,
}: {
  title: string;
  progress: TopicProgress;
  now: number;
  testId: string;
}) {
  return (
    <ScrollTable
      testId={testId}
      caption={
        <>
          {title}: <code>{progress.topic}</code>, lag {count.format(progress.lag)} records
        </>
      }
    >
      <thead>
        <tr>
          {NUMERIC_COLUMNS.map((column) => (
            <th key={column} scope="col" className="num">
              {column}
            </th>
          ))}
          <th scope="col">Watermark</th>
        </tr>
      </thead>
      <tbody>
        {progress.partitions.map((p) => (
          <tr key={p.partition}>
            <th scope="row" className="num">
              {p.partition}
            </th>
            <td className="num">{p.committed === null ? 'none' : count.format(p.committed)}</td>
            <td className="num">{count.format(p.end)}</td>
            <td className="num">{count.format(p.lag)}</td>
            <td>
              {p.watermarkMs === null ? (
                <span className="muted">no checkpoint yet</span>
              ) : (
                <>
                  <time dateTime={isoTime(p.watermarkMs)}>{localTime(p.watermarkMs, now)}</time>{' '}
                  <span className="muted">({behindNow(p.watermarkMs, now)})</span>
                </>
              )}
            </td>
          </tr>
        ))}
        {progress.partitions.length === 0 && (
          <tr>
            <td colSpan={5} className="muted">
              The topic has no partitions.
            </td>
          </tr>
        )}
      </tbody>
    </ScrollTable>
  );
}
