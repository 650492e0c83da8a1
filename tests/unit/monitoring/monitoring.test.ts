/**
 * The `monitoring` compose profile (Prometheus + Grafana, files under monitoring/). No Docker engine
 * runs here, so what can be checked is that the pieces agree with each other: compose file,
 * Prometheus config, Grafana provisioning, dashboard, and the app's metric names and ports.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../server/config';
import { hostAllowed } from '../../../server/shared/sitePolicy';
import {
  WINDOWPANE_METRICS,
  dashboardExprs,
  dashboardMetricNames,
  dashboardPanels,
  prometheusScrapeTargets,
  promqlMetricNames,
  queryableSeriesNames,
} from '../../support/monitoring';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

// Parsed YAML and JSON: their shape is what these tests check, so fields are read loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Service = Record<string, Loose>;
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;
const MONITORING = ['prometheus', 'grafana'];

const PROMETHEUS_CONFIG = 'monitoring/prometheus/prometheus.yml';
const DASHBOARD = 'monitoring/grafana/dashboards/windowpane.json';
const DATASOURCES = 'monitoring/grafana/provisioning/datasources/prometheus.yml';
const DASHBOARD_PROVIDERS = 'monitoring/grafana/provisioning/dashboards/windowpane.yml';

/** A service's environment as the process sees it: strings, from either compose syntax. */
function serviceEnv(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry: string) => {
      const eq = entry.indexOf('=');
      return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

interface Mount {
  source: string;
  target: string;
  bind: boolean;
  readOnly: boolean;
}

function serviceMounts(service: Service): Mount[] {
  return (service.volumes ?? []).map((volume: string | Record<string, unknown>): Mount => {
    if (typeof volume === 'string') {
      const [source, target, mode = ''] = volume.split(':');
      return { source, target, bind: /^[./~]/.test(source), readOnly: mode.split(',').includes('ro') };
    }
    return { source: String(volume.source), target: String(volume.target), bind: volume.type === 'bind', readOnly: volume.read_only === true };
  });
}

/** Where a path inside the container comes from on the host, through the service's bind mounts. */
function hostPathFor(service: Service, containerPath: string): string | undefined {
  for (const mount of serviceMounts(service)) {
    if (!mount.bind) continue;
    if (containerPath === mount.target) return path.resolve(root, mount.source);
    if (containerPath.startsWith(`${mount.target}/`)) return path.resolve(root, mount.source, containerPath.slice(mount.target.length + 1));
  }
  return undefined;
}

interface PortMapping {
  hostIp: string | undefined;
  published: string | undefined;
  target: number;
}

function servicePorts(service: Service): PortMapping[] {
  return (service.ports ?? []).map((port: string | number | Record<string, unknown>): PortMapping => {
    if (typeof port === 'object') {
      return { hostIp: port.host_ip as string | undefined, published: port.published?.toString(), target: Number(port.target) };
    }
    const parts = String(port).replace(/\/\w+$/, '').split(':');
    const target = Number(parts.pop());
    const published = parts.pop();
    return { hostIp: parts.pop(), published, target };
  });
}

const dependencies = (service: Service): string[] =>
  Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});

/** Services running this repository's image, i.e. windowpane processes that serve /metrics. */
const appServices = Object.entries(services).filter(([, service]) => service.build !== undefined);

/**
 * Where each app service serves /metrics, by the app's own rules (server/config.ts): on PORT with
 * the web role, else on METRICS_PORT.
 */
function expectedMetricsEndpoints(): string[] {
  return appServices.flatMap(([name, service]) => {
    const config = loadConfig(serviceEnv(service));
    const port = config.roles.includes('web') ? config.port : config.metricsPort;
    return port === null ? [] : [`${name}:${port}`];
  }).sort();
}

const prometheusTargets = prometheusScrapeTargets(read(PROMETHEUS_CONFIG));
const dashboard = JSON.parse(read(DASHBOARD));
const datasources = (parse(read(DATASOURCES)) as { datasources: Array<Record<string, Loose>> }).datasources;
const providers = (parse(read(DASHBOARD_PROVIDERS)) as { providers: Array<Record<string, Loose>> }).providers;

describe('monitoring profile in docker-compose.yml', () => {
  it('puts prometheus and grafana in the monitoring profile only', () => {
    for (const name of MONITORING) expect(services[name]?.profiles, name).toEqual(['monitoring']);
  });

  it('keeps every service that plain `docker compose up` starts independent of the monitoring profile', () => {
    const profiled = new Set(Object.keys(services).filter((name) => services[name].profiles?.length));
    for (const [name, service] of Object.entries(services)) {
      if (profiled.has(name)) continue;
      expect(dependencies(service).filter((dep) => profiled.has(dep)), `${name} depends on`).toEqual([]);
    }
  });

  it('runs the official images at pinned versions', () => {
    expect(services.prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(services.grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
  });

  it('publishes Prometheus and Grafana on loopback only', () => {
    for (const name of MONITORING) {
      const ports = servicePorts(services[name]);
      expect(ports.length, name).toBeGreaterThan(0);
      for (const port of ports) expect(port.hostIp, `${name} ${JSON.stringify(port)}`).toBe('127.0.0.1');
    }
    expect(servicePorts(services.prometheus).map((p) => p.target)).toContain(9090);
    expect(servicePorts(services.grafana).map((p) => p.target)).toContain(3000);
  });

  it('mounts only paths that exist in the repo, and the monitoring files read-only', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, service] of Object.entries(services)) {
      for (const mount of serviceMounts(service)) {
        if (!mount.bind) {
          expect(declared, `${name}: named volume ${mount.source}`).toContain(mount.source);
          continue;
        }
        const host = path.resolve(root, mount.source);
        expect(path.relative(root, host).startsWith('..'), `${name}: ${mount.source} is outside the repo`).toBe(false);
        expect(existsSync(host), `${name}: ${mount.source} does not exist`).toBe(true);
        if (MONITORING.includes(name)) expect(mount.readOnly, `${name}: ${mount.source} should be :ro`).toBe(true);
      }
    }
  });

  it('gives Prometheus the config in monitoring/prometheus', () => {
    const flag = [services.prometheus.command ?? []].flat().find((arg: string) => arg.startsWith('--config.file='));
    const configPath = flag ? flag.slice('--config.file='.length) : '/etc/prometheus/prometheus.yml';
    expect(hostPathFor(services.prometheus, configPath)).toBe(path.join(root, PROMETHEUS_CONFIG));
  });

  it('lets anonymous visitors view Grafana, and no more', () => {
    const env = serviceEnv(services.grafana);
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('true');
    expect(env.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Viewer');
  });

  it('provisions Grafana from monitoring/grafana/provisioning with the windowpane dashboard as home', () => {
    const provisioning = serviceEnv(services.grafana).GF_PATHS_PROVISIONING || '/etc/grafana/provisioning';
    expect(hostPathFor(services.grafana, provisioning)).toBe(path.join(root, 'monitoring/grafana/provisioning'));
    const home = serviceEnv(services.grafana).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(hostPathFor(services.grafana, home)).toBe(path.join(root, DASHBOARD));
  });

  it('has a dashboard provider reading the folder the dashboards are mounted at', () => {
    expect(providers.length).toBeGreaterThan(0);
    for (const provider of providers) {
      expect(provider.type).toBe('file');
      const host = hostPathFor(services.grafana, provider.options.path);
      expect(host, `provider ${provider.name}: ${provider.options.path} is not mounted`).toBeDefined();
      expect(statSync(host!).isDirectory()).toBe(true);
      expect(readdirSync(host!)).toContain(path.basename(DASHBOARD));
    }
  });

  it('has a Prometheus datasource at the prometheus service, sampled at the scrape interval', () => {
    expect(datasources).toHaveLength(1);
    const [source] = datasources;
    expect(source.type).toBe('prometheus');
    const url = new URL(source.url);
    expect(services[url.hostname]?.image ?? '', `${url.hostname} is not the prometheus service`).toMatch(/^prom\/prometheus:/);
    expect(servicePorts(services[url.hostname]).map((p) => p.target)).toContain(Number(url.port));
    expect(new Set(prometheusTargets.map((t) => t.scrapeInterval))).toEqual(new Set([source.jsonData.timeInterval]));
  });
});

describe('Prometheus config', () => {
  it('scrapes every 5 s over plain HTTP at /metrics', () => {
    expect(prometheusTargets.length).toBeGreaterThan(0);
    for (const target of prometheusTargets) {
      expect(target.scrapeInterval, target.target).toBe('5s');
      expect(target.metricsPath, target.target).toBe('/metrics');
      expect(target.scheme, target.target).toBe('http');
    }
  });

  it('scrapes exactly the app services of the compose file, on the port each serves /metrics on', () => {
    expect(appServices.length).toBeGreaterThan(0);
    expect(prometheusTargets.map((t) => t.target).sort()).toEqual(expectedMetricsEndpoints());
  });

  it('scrapes each app under a Host name its DNS-rebinding check accepts', () => {
    for (const target of prometheusTargets) {
      const service = services[target.host];
      expect(service, target.target).toBeDefined();
      const config = loadConfig(serviceEnv(service));
      const site = { host: config.host, allowedHosts: config.allowedHosts, allowedOrigins: config.allowedOrigins };
      expect(hostAllowed(target.target, site), `${target.host} is not in ${target.host}'s ALLOWED_HOSTS`).toBe(true);
    }
  });
});

describe('Grafana dashboard', () => {
  const panels = dashboardPanels(dashboard);
  const [datasource] = datasources;

  it('is the windowpane dashboard', () => {
    expect(dashboard).toMatchObject({ uid: 'windowpane', title: 'windowpane', schemaVersion: 39 });
    expect(panels.length).toBeGreaterThan(0);
  });

  it('gives every panel the provisioned datasource and at least one query', () => {
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size, 'panel ids must be unique').toBe(ids.length);
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: datasource.uid });
      expect(panel.targets?.length ?? 0, `${panel.title}: no targets`).toBeGreaterThan(0);
      const refIds = panel.targets!.map((target) => target.refId);
      expect(new Set(refIds).size, `${panel.title}: refIds must be unique`).toBe(refIds.length);
      for (const target of panel.targets!) {
        expect(target.expr?.trim(), `${panel.title} ${target.refId}: no expr`).toBeTruthy();
        if (target.datasource !== undefined) expect(target.datasource, panel.title).toEqual(panel.datasource);
      }
    }
  });

  it('queries only metrics the app exposes', () => {
    const names = dashboardMetricNames(dashboard);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !name.startsWith('windowpane_'))).toEqual([]);
    const known = queryableSeriesNames();
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });

  it('shows throughput, lag, late readings, dead letters, clients, watermark delay and Kafka health', () => {
    const names = dashboardMetricNames(dashboard);
    for (const required of [
      'windowpane_readings_consumed_total',
      'windowpane_windows_emitted_total',
      'windowpane_consumer_lag_records',
      'windowpane_late_readings_total',
      'windowpane_dead_letters_total',
      'windowpane_socket_clients',
      'windowpane_watermark_delay_seconds',
      'windowpane_kafka_up',
    ]) {
      expect(names, required).toContain(required);
    }
    const exprs = dashboardExprs(dashboard);
    expect(exprs.some((expr) => /\bby\s*\(\s*reason\s*\)/.test(expr) && expr.includes('windowpane_dead_letters_total'))).toBe(true);
    expect(exprs.some((expr) => /\bby\s*\([^)]*\bpartition\b/.test(expr) && expr.includes('windowpane_consumer_lag_records'))).toBe(true);
  });

  it('shows p50 and p99 of both latency histograms', () => {
    const exprs = dashboardExprs(dashboard);
    const histograms = Object.entries(WINDOWPANE_METRICS).filter(([, type]) => type === 'histogram').map(([name]) => name);
    expect(histograms).toHaveLength(2);
    for (const histogram of histograms) {
      for (const quantile of ['0.5', '0.99']) {
        const quantileOf = new RegExp(`^\\s*histogram_quantile\\(\\s*${quantile.replace('.', '\\.')}\\s*,`);
        // Summed over instances but kept per bucket, or the quantile is meaningless.
        const found = exprs.some((expr) => quantileOf.test(expr) && promqlMetricNames(expr).includes(`${histogram}_bucket`) && /\bby\s*\(\s*le\s*\)/.test(expr));
        expect(found, `p${Number(quantile) * 100} of ${histogram}`).toBe(true);
      }
    }
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    const boxes = panels.map((panel) => ({ title: panel.title, ...(panel as { gridPos: { x: number; y: number; w: number; h: number } }).gridPos }));
    for (const box of boxes) expect(box.x + box.w, box.title).toBeLessThanOrEqual(24);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
      }
    }
  });
});

describe('monitoring helpers', () => {
  it.each([
    ['windowpane_kafka_up', ['windowpane_kafka_up']],
    ['sum by (reason) (rate(windowpane_dead_letters_total{reason!="late"}[$__rate_interval]))', ['windowpane_dead_letters_total']],
    ['histogram_quantile(0.99, sum(rate(a_bucket[5m30s])) by (le, instance))', ['a_bucket']],
    ['rate(a_total[1m] offset 5m) / ignoring(partition) group_left(topic) b > bool 1e-3', ['a_total', 'b']],
    ['label_replace(up, "dst", "windowpane_not_a_metric", "src", "(.*)") and on (job) c', ['up', 'c']],
    ['{__name__="x", job="app"} + count_values("value", y) or vector(0)', ['x', 'y']],
    ['max_over_time(z[${__range}]) * 0x1F - Inf', ['z']],
    ['sum without (instance) (w) # windowpane_in_a_comment', ['w']],
  ])('promqlMetricNames(%s)', (expr, expected) => {
    expect(promqlMetricNames(expr)).toEqual(expected);
  });

  it('refuses a __name__ regex, whose metrics it cannot name', () => {
    expect(() => promqlMetricNames('{__name__=~"windowpane_.*"}')).toThrow('__name__=~');
  });

  it('reads the metric names of every panel, including those in collapsed rows, once each', () => {
    const fixture = {
      panels: [
        { type: 'timeseries', targets: [{ expr: 'rate(b_total[1m])' }, { expr: 'a' }] },
        { type: 'row', collapsed: true, panels: [{ type: 'stat', targets: [{ expr: 'sum(c) + a' }] }] },
        { type: 'text' },
      ],
    };
    expect(dashboardMetricNames(fixture)).toEqual(['a', 'b_total', 'c']);
    expect(dashboardPanels(fixture).map((panel) => panel.type)).toEqual(['timeseries', 'stat', 'text']);
  });

  it('reads static scrape targets with the interval, path and scheme each is scraped with', () => {
    const config = [
      'global: { scrape_interval: 15s }',
      'scrape_configs:',
      '  - job_name: web',
      '    static_configs: [{ targets: ["web:3000", "web2:3000"] }]',
      '  - job_name: workers',
      '    scrape_interval: 5s',
      '    metrics_path: /m',
      '    scheme: https',
      '    static_configs: [{ targets: ["worker"] }]',
    ].join('\n');
    expect(prometheusScrapeTargets(config)).toEqual([
      { job: 'web', target: 'web:3000', host: 'web', port: 3000, scheme: 'http', metricsPath: '/metrics', scrapeInterval: '15s' },
      { job: 'web', target: 'web2:3000', host: 'web2', port: 3000, scheme: 'http', metricsPath: '/metrics', scrapeInterval: '15s' },
      { job: 'workers', target: 'worker', host: 'worker', port: 443, scheme: 'https', metricsPath: '/m', scrapeInterval: '5s' },
    ]);
    expect(prometheusScrapeTargets('scrape_configs: [{ job_name: a, static_configs: [{ targets: ["a:1"] }] }]')[0].scrapeInterval).toBe('1m');
  });

  it('refuses service discovery it cannot resolve from the file', () => {
    expect(() => prometheusScrapeTargets('scrape_configs: [{ job_name: a, dns_sd_configs: [{ names: [tasks.app] }] }]')).toThrow('dns_sd_configs');
  });

  it('lists a histogram by its _bucket, _sum and _count series', () => {
    const names = queryableSeriesNames({ h: 'histogram', c: 'counter' });
    expect([...names].sort()).toEqual(['c', 'h_bucket', 'h_count', 'h_sum']);
  });
});
