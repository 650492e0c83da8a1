/**
 * The newest records of a topic, per partition, in bounded memory: what GET /api/dead-letters and
 * /api/late answer from. Records arrive in log order per partition; one seen again (a consumer
 * restarted from an older committed offset) is ignored.
 */
import type { AsideRecordView } from '../contract';

export class AsideRing {
  private readonly byPartition = new Map<number, AsideRecordView[]>();

  constructor(private readonly perPartition: number) {}

  add(record: AsideRecordView): void {
    let list = this.byPartition.get(record.partition);
    if (!list) this.byPartition.set(record.partition, (list = []));
    const last = list.at(-1);
    if (last && BigInt(last.offset) >= BigInt(record.offset)) return;
    list.push(record);
    if (list.length > this.perPartition) list.splice(0, list.length - this.perPartition);
  }

  /** The `limit` newest records over every partition: by timestamp, then offset, newest first. */
  latest(limit: number): AsideRecordView[] {
    return newestFirst([...this.byPartition.values()].flat()).slice(0, limit);
  }

  find(partition: number, offset: string): AsideRecordView | undefined {
    return this.byPartition.get(partition)?.find((r) => r.offset === offset);
  }
}

function newestFirst(records: AsideRecordView[]): AsideRecordView[] {
  return [...records].sort(
    (a, b) => b.timestamp - a.timestamp || b.partition - a.partition || Number(BigInt(b.offset) - BigInt(a.offset)),
  );
}
