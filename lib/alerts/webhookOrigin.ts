/**
 * What any read may show of a webhook URL: its scheme and host (the origin). The path, query and
 * user info may hold a secret (Slack, Teams and most receivers put the key in the path), so API
 * answers, the alerts panel and the logs show this and nothing more. The full URL stays in the
 * alert-rules topic and in the server that calls it.
 */
import type { AlertRule, AlertRuleView } from '../contract';

export function webhookOrigin(url: string): string {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? '(invalid url)' : origin;
  } catch {
    return '(invalid url)';
  }
}

/** A rule as every read answers it: `webhookOrigin` in place of `webhookUrl`. */
export function ruleView(rule: AlertRule): AlertRuleView {
  const { webhookUrl, ...view } = rule;
  return webhookUrl === undefined ? view : { ...view, webhookOrigin: webhookOrigin(webhookUrl) };
}
