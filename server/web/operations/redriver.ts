/**
 * Sends dead letters back to the input topic (POST /api/dead-letters/redrive), each at most once
 * unless asked again, even with several web servers.
 *
 * Every redrive uses one transactional id, shared by every web server of the deployment: starting
 * it fences any other redriver (its open transaction is aborted), and only then is the redrive
 * topic read to its end, so the check "already redriven?" sees every redrive committed before and
 * none can commit in between — a redriver fenced after its check fails at its commit. The records
 * sent to the input topic and the redrive records go in one Kafka transaction: both or neither.
 * Requests in this process take turns, as each would fence the one before.
 */
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { RedriveOutcome, RedriveRequest, RedriveResult } from '../../../lib/contract';
import { encodeRedriveEntry, planRedrive, redriveKey, type RedriveSend } from '../../../lib/operations/redrive';
import { Refusal } from '../../../lib/refusal';
import { log } from '../../log';
import type { AsideTail } from './asideTail';
import { createProducer } from '../../kafka/client';
import { readAtOffsets } from '../../kafka/readAtOffsets';

/** Header on a redriven record naming the dead letter it came from. */
export const REDRIVE_OF_HEADER = 'windowpane-redrive-of';

export interface RedriveTopics {
  deadLetters: string;
  input: string;
  redrives: string;
}

export interface RedriveCounter {
  inc(labels: { value: 'original' | 'replacement' }): void;
}

export class Redriver {
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly tail: AsideTail,
    private readonly topics: RedriveTopics,
    private readonly counter: RedriveCounter,
    private readonly now: () => number = Date.now,
  ) {}

  redrive(request: RedriveRequest): Promise<{ status: number; body: RedriveOutcome }> {
    const run = this.turn.then(() => this.redriveNow(request));
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async redriveNow(request: RedriveRequest): Promise<{ status: number; body: RedriveOutcome }> {
    const { deadLetters, redrives } = this.topics;
    const producer = createProducer(this.kafka, {
      transactionalId: `${redrives}-redriver`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 30_000,
    });
    try {
      await producer.connect();
      // kafkajs initialises the transactional id at the first transaction: open and abort one to fence now.
      await (await producer.transaction()).abort();
      await this.tail.caughtUp(this.admin, redrives);
      const letters = await readAtOffsets(this.kafka, this.admin, deadLetters, request.records);
      const plan = planRedrive(
        request,
        deadLetters,
        (partition, offset) => letters.get(`${partition}/${offset}`),
        (key) => this.tail.redriveOf(key),
      );
      if (!plan.ok)
        return {
          status: plan.status,
          body: { error: plan.error, redriven: 0, refused: plan.results.length, results: plan.results },
        };
      const results = await this.send(producer, plan.sends);
      for (const s of plan.sends) this.counter.inc({ value: s.replaced ? 'replacement' : 'original' });
      log.info({ records: results.length, topic: this.topics.input }, 'dead letters redriven');
      return { status: 200, body: { redriven: results.length, refused: 0, results } };
    } catch (error) {
      if (error instanceof RedriveFailed) throw error;
      // Fencing, reading the redrive or dead-letter topic: nothing was sent yet.
      throw new RedriveFailed(`redrive: nothing was redriven (${(error as Error).message}); try again`);
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }

  private async send(producer: Producer, sends: RedriveSend[]): Promise<RedriveResult[]> {
    const { deadLetters, input, redrives } = this.topics;
    const transaction = await producer.transaction();
    let committing = false;
    try {
      const results: RedriveResult[] = [];
      for (const s of sends) {
        const name = redriveKey(deadLetters, s.partition, s.offset);
        // One record per send, so the answer can say where each one landed.
        const [meta] = await transaction.send({
          topic: input,
          acks: -1,
          messages: [{ key: s.key, value: s.value, headers: { [REDRIVE_OF_HEADER]: name } }],
        });
        const to = meta
          ? { topic: input, partition: meta.partition, offset: String(meta.baseOffset ?? meta.offset) }
          : null;
        const entry = {
          v: 1 as const,
          at: this.now(),
          dlq: { topic: deadLetters, partition: s.partition, offset: s.offset },
          to,
          replaced: s.replaced,
          times: (s.previous?.times ?? 0) + 1,
        };
        await transaction.send({
          topic: redrives,
          acks: -1,
          messages: [{ key: name, value: encodeRedriveEntry(entry) }],
        });
        results.push({ partition: s.partition, offset: s.offset, status: 'redriven', replaced: s.replaced, to });
      }
      committing = true;
      await transaction.commit();
      return results;
    } catch (error) {
      if (!committing) {
        await transaction.abort().catch(() => undefined);
        throw new RedriveFailed(`redrive: nothing was redriven (${(error as Error).message}); try again`);
      }
      throw new RedriveFailed(
        `redrive: the commit failed (${(error as Error).message}); the records may or may not have been redriven: reload the list to see`,
      );
    }
  }
}

/** A redrive Kafka did not complete: the API answers 503 with this message. */
export class RedriveFailed extends Refusal {
  constructor(message: string) {
    super(503, message);
    this.name = 'RedriveFailed';
  }
}
