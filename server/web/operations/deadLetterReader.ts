/**
 * The whole of one dead letter, for GET /api/dead-letters/<partition>/<offset>. The tail keeps only
 * the first 8 KiB of each (a dead letter may be a megabyte), so this reads the record from the topic
 * again. One read at a time per process: each is a bounded read of the topic (readAtOffsets), and a
 * second caller meanwhile is told to come back (429) rather than queued.
 */
import type { Admin, Kafka } from 'kafkajs';
import { WHOLE_DEAD_LETTER_BYTES, type AsideRecordView } from '../../../lib/contract';
import { asideRecordView } from '../../../lib/operations/asideRecord';
import { Refusal } from '../../../lib/refusal';
import { readAtOffsets } from '../../kafka/readAtOffsets';

const READ_TIMEOUT_MS = 15_000;
const BUSY_RETRY_SECONDS = 2;

export class DeadLetterReader {
  private busy = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly topic: string,
  ) {}

  async read(partition: number, offset: string): Promise<AsideRecordView> {
    if (this.busy)
      throw new Refusal(429, 'dead letter: another whole record is being read; try again shortly', BUSY_RETRY_SECONDS);
    this.busy = true;
    try {
      const found = await readAtOffsets(this.kafka, this.admin, this.topic, [{ partition, offset }], READ_TIMEOUT_MS);
      const message = found.get(`${partition}/${offset}`);
      if (!message)
        throw new Refusal(404, `dead letter: ${this.topic} has no record at partition ${partition}, offset ${offset}`);
      return asideRecordView(this.topic, partition, message, WHOLE_DEAD_LETTER_BYTES);
    } finally {
      this.busy = false;
    }
  }
}
