/**
 * What every role of one process shares: the Kafka client, the metrics registry, the Host/Origin
 * policy, the broker health probe and the runtime config store. Each role registers its own stops
 * here, so the process stops them in reverse order of start whichever roles it runs.
 */
import type { Kafka } from 'kafkajs';
import type { AppConfig } from '../config';
import type { Registry } from 'prom-client';
import type { ConfigStore } from './configStore';
import type { KafkaHealth } from './kafkaHealth';
import type { SitePolicy } from './sitePolicy';

export interface RoleContext {
  config: AppConfig;
  kafka: Kafka;
  registry: Registry;
  site: SitePolicy;
  health: KafkaHealth;
  configStore: ConfigStore;
  /** Called on stop, after every stop registered later. */
  onStop(stop: () => Promise<void>): void;
}
