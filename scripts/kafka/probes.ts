/** Is something listening on a local port, and is it a Kafka broker that is ready for clients? */
import { connect as netConnect, type Socket } from 'node:net';

function tcpConnect(port: number, timeoutMs: number): Promise<Socket | undefined> {
  return new Promise((res) => {
    const sock = netConnect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.removeAllListeners('connect');
      sock.removeAllListeners('error');
      sock.setTimeout(0);
      if (ok) return res(sock);
      sock.destroy();
      res(undefined);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

export async function portInUse(port: number): Promise<boolean> {
  const s = await tcpConnect(port, 1000);
  s?.destroy();
  return s !== undefined;
}

/** True when something speaking the Kafka protocol answers an ApiVersions v0 request on 127.0.0.1:port. */
export async function isKafkaListening(port: number, timeoutMs = 2000): Promise<boolean> {
  const sock = await tcpConnect(port, timeoutMs);
  if (!sock) return false;
  return new Promise((res) => {
    const correlationId = 0x5eed;
    // size | api_key=18 (ApiVersions) | api_version=0 | correlation_id | client_id (nullable string: -1)
    const req = Buffer.alloc(4 + 2 + 2 + 4 + 2);
    req.writeInt32BE(req.length - 4, 0);
    req.writeInt16BE(18, 4);
    req.writeInt16BE(0, 6);
    req.writeInt32BE(correlationId, 8);
    req.writeInt16BE(-1, 12);
    let buf = Buffer.alloc(0);
    const finish = (v: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      res(v);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 8) finish(buf.readInt32BE(4) === correlationId);
    });
    sock.on('error', () => finish(false));
    sock.on('close', () => finish(false));
    sock.write(req);
  });
}

/** What the cluster's metadata says: its registered (unfenced) brokers and its active controller. */
export interface ClusterView {
  brokerIds: number[];
  /** undefined while no controller is known. */
  controller: number | undefined;
}

/**
 * The cluster as seen through a kafkajs admin connection to `brokers` (comma-separated
 * host:port list), or undefined when it does not answer.
 */
export async function kafkaClusterView(brokers: string, timeoutMs = 5000): Promise<ClusterView | undefined> {
  // Loaded lazily so that fetching jars or probing ports needs Node built-ins only.
  const mod = (await import('kafkajs')) as typeof import('kafkajs') & { default?: typeof import('kafkajs') };
  const kafkajs = mod.Kafka ? mod : mod.default!;
  const kafka = new kafkajs.Kafka({
    clientId: 'windowpane-local-broker-probe',
    brokers: brokers.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const controller =
      cluster.controller === null || cluster.controller === -1 ? undefined : (cluster.controller as number);
    return {
      brokerIds: cluster.brokers.map((b: { nodeId: number }) => b.nodeId).sort((a: number, b: number) => a - b),
      controller,
    };
  } catch {
    return undefined;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
