import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { describeKafkaStartFailure } from '../../../../server/kafka/connect';

// kafkajs' typings leave out these constructors' arguments; they are built here as kafkajs builds them.
const RetriesExceeded = KafkaJSNumberOfRetriesExceeded as unknown as new (
  cause: Error,
  metadata: { retryCount: number; retryTime: number },
) => Error;
const SaslFailure = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;

describe('describeKafkaStartFailure', () => {
  it('turns a failure to reach Kafka, however kafkajs wrapped it, into the one diagnosis line', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1', {
      broker: '127.0.0.1:1',
      code: 'ECONNREFUSED',
    });
    const exceeded = new RetriesExceeded(refused, { retryCount: 10, retryTime: 10_000 });
    expect(describeKafkaStartFailure(exceeded)).toMatch(/^cannot connect to Kafka at 127.0.0.1:1: connection refused;/);
    expect(describeKafkaStartFailure(new SaslFailure('SASL PLAIN authentication failed'))).toMatch(
      /SASL authentication failed .*check KAFKA_SASL_MECHANISM/,
    );
  });

  it('leaves other failures to the general message', () => {
    expect(describeKafkaStartFailure(new Error('boom'))).toBeNull();
  });
});
