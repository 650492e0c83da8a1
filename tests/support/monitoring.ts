/**
 * Pure helpers for the monitoring profile (monitoring/): which metric names the Grafana dashboard
 * queries and which endpoints Prometheus scrapes. Shared by the unit test, which checks them against
 * the documented metric list and docker-compose.yml, and by integration tests that scrape a live
 * /metrics.
 */
import { parse } from 'yaml';

export type MetricType = 'counter' | 'gauge' | 'histogram';

/**
 * The metric families the app exposes, as agreed with its /metrics endpoint. Only the default
 * process metrics the dashboard uses are listed; prom-client exposes more.
 */
export const WINDOWPANE_METRICS = {
  // worker role
  windowpane_readings_consumed_total: 'counter',
  windowpane_windows_emitted_total: 'counter',
  windowpane_partials_emitted_total: 'counter',
  windowpane_late_readings_total: 'counter',
  windowpane_dead_letters_total: 'counter',
  windowpane_watermark_delay_seconds: 'gauge',
  windowpane_window_commit_delay_seconds: 'histogram',
  windowpane_rebalances_total: 'counter',
  windowpane_assigned_partitions: 'gauge',
  windowpane_open_windows: 'gauge',
  // web role
  windowpane_consumer_lag_records: 'gauge',
  windowpane_window_push_delay_seconds: 'histogram',
  windowpane_socket_clients: 'gauge',
  windowpane_slow_client_drops_total: 'counter',
  // both roles
  windowpane_kafka_up: 'gauge',
  windowpane_process_cpu_seconds_total: 'counter',
  windowpane_process_resident_memory_bytes: 'gauge',
  windowpane_nodejs_eventloop_lag_seconds: 'gauge',
  windowpane_nodejs_heap_size_used_bytes: 'gauge',
} as const satisfies Record<string, MetricType>;

/** Series names a query may use: each family's name, and a histogram's `_bucket`, `_sum` and `_count`. */
export function queryableSeriesNames(metrics: Record<string, MetricType> = WINDOWPANE_METRICS): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of Object.entries(metrics)) {
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}

interface GrafanaTarget {
  refId?: string;
  expr?: string;
  datasource?: unknown;
}

export interface GrafanaPanel {
  id?: number;
  type?: string;
  title?: string;
  datasource?: unknown;
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
}

/** Every panel that shows data, including those inside (collapsed) rows; rows themselves are left out. */
export function dashboardPanels(dashboard: unknown): GrafanaPanel[] {
  const out: GrafanaPanel[] = [];
  const walk = (panels: unknown) => {
    if (!Array.isArray(panels)) return;
    for (const panel of panels as GrafanaPanel[]) {
      if (panel.type === 'row') walk(panel.panels);
      else out.push(panel);
    }
  };
  walk((dashboard as { panels?: unknown }).panels);
  return out;
}

/** The PromQL expressions of every panel's targets, in panel order. */
export function dashboardExprs(dashboard: unknown): string[] {
  return dashboardPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? [])
      .map((target) => target.expr)
      .filter((expr): expr is string => typeof expr === 'string' && expr.trim() !== ''),
  );
}

/**
 * Metric names the dashboard queries, as written (a histogram appears as `..._bucket`), sorted and
 * without repeats.
 */
export function dashboardMetricNames(dashboard: unknown): string[] {
  return [...new Set(dashboardExprs(dashboard).flatMap(promqlMetricNames))].sort();
}

// Words that are followed by a parenthesised list of label names, not of expressions.
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const OTHER_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * Metric names selected by one PromQL expression. A small tokenizer rather than a regex: a regex
 * over the whole text would also pick up function names, label names in `by (...)`, label values
 * in strings, the `m` of `[5m]` and Grafana variables such as `$__rate_interval`.
 */
export function promqlMetricNames(expr: string): string[] {
  const names: string[] = [];
  let i = 0;
  const n = expr.length;

  const skipString = (at: number): number => {
    const quote = expr[at];
    let j = at + 1;
    while (j < n && expr[j] !== quote) j += quote !== '`' && expr[j] === '\\' ? 2 : 1;
    if (j >= n) throw new Error(`unterminated string in PromQL: ${expr}`);
    return j + 1;
  };
  const skipBalanced = (at: number, open: string, close: string): number => {
    let depth = 0;
    let j = at;
    while (j < n) {
      const c = expr[j];
      if (c === '"' || c === "'" || c === '`') {
        j = skipString(j);
        continue;
      }
      if (c === open) depth++;
      else if (c === close && --depth === 0) return j + 1;
      j++;
    }
    throw new Error(`unbalanced ${open}${close} in PromQL: ${expr}`);
  };
  const nextNonSpace = (at: number): number => {
    let j = at;
    while (j < n && /\s/.test(expr[j])) j++;
    return j;
  };

  while (i < n) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'" || c === '`') {
      i = skipString(i);
    } else if (c === '#') {
      while (i < n && expr[i] !== '\n') i++;
    } else if (c === '{') {
      const end = skipBalanced(i, '{', '}');
      // A selector without a leading name, e.g. {__name__="x", job="y"}.
      const matchers = expr.slice(i + 1, end - 1);
      const byName = /(?:^|,)\s*__name__\s*(=~|!=|!~|=)\s*(["'`])((?:\\.|(?!\2).)*)\2/.exec(matchers);
      if (byName) {
        if (byName[1] !== '=') throw new Error(`cannot tell which metrics __name__${byName[1]} selects: ${expr}`);
        names.push(byName[3]);
      }
      i = end;
    } else if (c === '[') {
      i = skipBalanced(i, '[', ']');
    } else if (c === '$') {
      // Grafana variable: $name, ${name} or ${name:format}.
      i++;
      if (expr[i] === '{') i = skipBalanced(i, '{', '}');
      else while (i < n && /\w/.test(expr[i])) i++;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      // Numbers, including 1e-3 and 0x1f, and durations such as 5m30s.
      const m = /^(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[a-zA-Z0-9]*)/.exec(expr.slice(i));
      i += m ? m[0].length : 1;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const word = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))![0];
      i += word.length;
      const next = nextNonSpace(i);
      const lower = word.toLowerCase();
      if (LABEL_LIST_KEYWORDS.has(lower)) {
        if (expr[next] === '(') i = skipBalanced(next, '(', ')');
      } else if (OTHER_KEYWORDS.has(lower)) {
        // not a name
      } else if (expr[next] === '(' || /^(by|without)\s*\(/i.test(expr.slice(next))) {
        // function, or aggregation with its grouping first: sum by (le) (...)
      } else {
        names.push(word);
      }
    } else {
      i++;
    }
  }
  return names;
}

export interface ScrapeTarget {
  job: string;
  /** As written in the config, e.g. `app:3000`. */
  target: string;
  host: string;
  port: number;
  scheme: string;
  metricsPath: string;
  /** As written, e.g. `5s`. */
  scrapeInterval: string;
}

// Prometheus' own defaults.
const DEFAULT_SCRAPE_INTERVAL = '1m';
const DEFAULT_METRICS_PATH = '/metrics';

/**
 * Every static target of a Prometheus config, with the interval, path and scheme it is scraped
 * with. Throws on other service discovery, whose targets cannot be known from the file alone, so a
 * check built on this cannot pass by seeing no targets.
 */
export function prometheusScrapeTargets(yamlText: string): ScrapeTarget[] {
  const config = parse(yamlText) as {
    global?: { scrape_interval?: string };
    scrape_configs?: Array<Record<string, unknown>>;
  } | null;
  if (!config || typeof config !== 'object') throw new Error('Prometheus config: not a YAML mapping');
  const globalInterval = config.global?.scrape_interval ?? DEFAULT_SCRAPE_INTERVAL;
  const targets: ScrapeTarget[] = [];
  for (const job of config.scrape_configs ?? []) {
    const jobName = String(job.job_name);
    const discovery = Object.keys(job).filter((key) => key.endsWith('_sd_configs'));
    if (discovery.length > 0)
      throw new Error(`Prometheus job ${jobName}: ${discovery.join(', ')} not supported, only static_configs`);
    const scheme = typeof job.scheme === 'string' ? job.scheme : 'http';
    const metricsPath = typeof job.metrics_path === 'string' ? job.metrics_path : DEFAULT_METRICS_PATH;
    const scrapeInterval = typeof job.scrape_interval === 'string' ? job.scrape_interval : globalInterval;
    for (const group of (job.static_configs ?? []) as Array<{ targets?: string[] }>) {
      for (const target of group.targets ?? []) {
        const m = /^(.+?)(?::(\d+))?$/.exec(target);
        if (!m) throw new Error(`Prometheus job ${jobName}: bad target ${target}`);
        const port = m[2] !== undefined ? Number(m[2]) : scheme === 'https' ? 443 : 80;
        targets.push({ job: jobName, target, host: m[1], port, scheme, metricsPath, scrapeInterval });
      }
    }
  }
  return targets;
}
