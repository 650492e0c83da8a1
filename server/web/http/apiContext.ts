/** What the HTTP API's routes call: the services of the roles this process runs. */
import type {
  ConfigUpdate,
  RewindowJob,
  RewindowRequest,
  RuntimeConfig,
  SimulatorStart,
  SimulatorStatus,
  Stats,
  WindowResultRecord,
} from '../../../lib/contract';
import type { WebhookAllowList } from '../../../lib/alerts/webhookTargets';
import type { AlertsApi } from '../alerts/alerts';
import type { RangePage, RangeQuery } from '../history/windowRange';
import type { OperationsApi } from '../operations/operations';
import type { AccessPolicy } from './access';

export interface ApiContext {
  getConfig(): RuntimeConfig;
  updateConfig(update: ConfigUpdate): Promise<RuntimeConfig>;
  /** Null when this process does not run the simulator role. */
  simulator: {
    status(): SimulatorStatus;
    start(options: SimulatorStart): SimulatorStatus;
    stop(): SimulatorStatus;
  } | null;
  recentWindows(limit: number, sensorId?: string): WindowResultRecord[];
  /** Windows starting in [fromMs, toMs), a page at a time (see server/web/history/windowRange.ts). */
  windowsInRange(query: RangeQuery): Promise<RangePage>;
  stats(): Stats;
  health(): { status: 'ok' | 'degraded'; kafka: boolean; roles: string[] };
  /** Prometheus' text format. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Which Host and Origin are served (every request), and who may read and who may control (access.ts). */
  control: AccessPolicy;
  /** "What if" re-window jobs (server/web/rewindow/rewindowJobs.ts); absent where no web role serves them. */
  rewindow?: {
    /** Throws a Refusal (413, 429, 503) when a limit says no. */
    start(request: RewindowRequest): Promise<RewindowJob>;
    get(id: string): RewindowJob | null;
    cancel(id: string): RewindowJob | null;
  };
  /**
   * The Operations view (server/web/operations/operations.ts); absent where no web role serves it:
   * its endpoints answer 503.
   */
  operations?: OperationsApi | null;
  /**
   * Alert rules and events (server/web/alerts/alerts.ts); absent where no web role serves them:
   * their endpoints answer 503.
   */
  alerts?: AlertsApi | null;
  /** What a rule's webhook may call besides public addresses (ALERT_WEBHOOK_ALLOW); absent: nothing more. */
  alertWebhookAllow?: WebhookAllowList;
}
