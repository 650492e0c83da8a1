/** TLS and SASL options for real clusters, from the settings read in server/config.ts. */
import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';

export interface KafkaSecurity {
  ssl: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  rejectUnauthorized: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

export function kafkaSecurityOptions(security: KafkaSecurity | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (!security) return {};
  const options: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (security.ssl) {
    const read = (file: string | undefined) => (file ? readFileSync(file, 'utf8') : undefined);
    const ca = read(security.caFile);
    const cert = read(security.certFile);
    const key = read(security.keyFile);
    options.ssl =
      ca || cert || key || !security.rejectUnauthorized
        ? {
            rejectUnauthorized: security.rejectUnauthorized,
            ...(ca && { ca: [ca] }),
            ...(cert && { cert }),
            ...(key && { key }),
          }
        : true;
  }
  if (security.sasl) options.sasl = { ...security.sasl } as SASLOptions;
  return options;
}
