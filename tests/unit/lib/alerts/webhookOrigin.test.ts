import { describe, expect, it } from 'vitest';
import { ruleView, webhookOrigin } from '../../../../lib/alerts/webhookOrigin';

describe('webhookOrigin', () => {
  it('keeps the scheme and host, never the path, query or user info', () => {
    expect(webhookOrigin('https://hooks.example:8443/x/T0KEN?token=secret#f')).toBe('https://hooks.example:8443');
    expect(webhookOrigin('http://user:pass@10.0.0.1/hook')).toBe('http://10.0.0.1');
    expect(webhookOrigin('not a url')).toBe('(invalid url)');
  });
});

describe('ruleView', () => {
  const rule = { id: 'r', name: 'hot', metric: 'mean', op: '>', threshold: 1, forWindows: 1, updatedAt: 1 } as const;

  it('answers the webhook by its origin only', () => {
    const view = ruleView({ ...rule, webhookUrl: 'https://hooks.example/services/T0/B0/secret' });
    expect(view).toEqual({ ...rule, webhookOrigin: 'https://hooks.example' });
    expect(JSON.stringify(view)).not.toContain('secret');
    expect(ruleView(rule)).toEqual(rule);
  });
});
