import { describe, expect, it } from 'vitest';
import {
  classifyConnectionError,
  ConnectionTroubleReport,
  diagnosisLine,
  SUMMARY_EVERY_MS,
} from '../../../../lib/kafka/connectionTrouble';

describe('classifyConnectionError', () => {
  // The messages kafkajs logs (network/connection.js, cluster/brokerPool.js).
  it.each([
    ['Connection error: connect ECONNREFUSED 127.0.0.1:1', 'refused'],
    ['Connection error: getaddrinfo ENOTFOUND kafka.invalid', 'unresolved'],
    ['Connection error: getaddrinfo EAI_AGAIN kafka-0', 'unresolved'],
    ['Connection timeout', 'timeout'],
    ['Connection error: connect EHOSTUNREACH 10.0.0.9:9092', 'timeout'],
    ['Connection error: self-signed certificate in certificate chain', 'tls'],
    ['Connection error: 80F8:error:0A00010B:SSL routines:ssl3_get_record:wrong version number', 'tls'],
    ['Connection error: Client network socket disconnected before secure TLS connection was established', 'tls'],
    ['SASL SCRAM SHA256 authentication failed: The provided credentials are not valid', 'sasl'],
    ['Connection closed by the server', 'closed'],
    ['Closed connection', 'closed'],
    ['Connection error: something new', 'other'],
  ] as const)('%s: %s', (message, kind) => {
    expect(classifyConnectionError(message, '127.0.0.1:1').kind).toBe(kind);
  });

  it('uses the error code when there is one', () => {
    expect(classifyConnectionError('Connection error: connect', null, 'ECONNREFUSED').kind).toBe('refused');
  });
});

describe('diagnosisLine', () => {
  it('says which address failed, how, and what to check, in one line', () => {
    const line = diagnosisLine(
      classifyConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1', '127.0.0.1:1'),
      ['127.0.0.1:1'],
    );
    expect(line).toBe(
      "cannot connect to Kafka at 127.0.0.1:1: connection refused; check KAFKA_BROKERS (a broker's host:port) and that the broker is running",
    );
    expect(line).not.toContain('\n');
  });

  it('names the configured brokers when kafkajs does not say which failed, and keeps the TLS or SASL cause', () => {
    const line = diagnosisLine(classifyConnectionError('SASL PLAIN authentication failed: bad password'), [
      'a:9092',
      'b:9092',
    ]);
    expect(line).toMatch(/^cannot connect to Kafka at a:9092,b:9092: SASL authentication failed \(SASL PLAIN/);
    expect(line).toContain('KAFKA_SASL_USERNAME');
  });
});

describe('ConnectionTroubleReport', () => {
  const refused = (address: string) =>
    classifyConnectionError(`Connection error: connect ECONNREFUSED ${address}`, address);

  it('says the first failure at once, then one summary at most every 10 s', () => {
    const report = new ConnectionTroubleReport(['127.0.0.1:1']);
    const lines: { at: number; line: string }[] = [];
    // kafkajs' attempts: quickly at first, then every 10 s; 60 s of them.
    for (const at of [0, 300, 1_000, 2_600, 6_000, 12_400, 22_400, 32_400, 42_400, 52_400, 60_000]) {
      const line = report.failed(refused('127.0.0.1:1'), at);
      if (line) lines.push({ at, line });
    }
    expect(lines[0]).toEqual({
      at: 0,
      line: expect.stringMatching(/^cannot connect to Kafka at 127.0.0.1:1: connection refused/),
    });
    expect(lines[1].line).toBe(
      'still cannot connect to Kafka, retrying: 127.0.0.1:1 connection refused (5×) in the last 12 s',
    );
    for (let i = 1; i < lines.length; i++)
      expect(lines[i].at - lines[i - 1].at).toBeGreaterThanOrEqual(SUMMARY_EVERY_MS);
    expect(lines.length).toBeLessThanOrEqual(7);
  });

  it('says a new address or a new kind of failure at once, and a failure after a quiet minute in full again', () => {
    const report = new ConnectionTroubleReport(['a:1', 'b:1']);
    expect(report.failed(refused('a:1'), 0)).toMatch(/^cannot connect to Kafka at a:1/);
    expect(report.failed(refused('b:1'), 100)).toMatch(/^cannot connect to Kafka at b:1/);
    expect(report.failed(classifyConnectionError('Connection timeout', 'a:1'), 200)).toMatch(/a:1: timed out/);
    expect(report.failed(refused('a:1'), 300)).toBeNull();
    expect(report.failed(refused('a:1'), 120_000)).toMatch(/^cannot connect to Kafka at a:1/);
  });
});
