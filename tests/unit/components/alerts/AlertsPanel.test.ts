/** The alerts panel's pure helpers, and its markup: every control labelled, sentences for people. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { alertRuleBodySchema, type AlertEvent } from '../../../../lib/contract';
import { AlertsPanel } from '../../../../components/alerts/AlertsPanel';
import { AlertList } from '../../../../components/alerts/AlertList';
import { RuleList } from '../../../../components/alerts/RuleList';
import { eventSentence, ruleSummary } from '../../../../components/alerts/alertText';
import { EMPTY_RULE_FORM, newRuleId, ruleBody } from '../../../../components/alerts/ruleForm';

describe('the add-rule form values', () => {
  it('become a valid body, blank optional fields left out', () => {
    const body = ruleBody({
      ...EMPTY_RULE_FORM,
      name: ' Hot ',
      threshold: '80',
      forWindows: '3',
      metric: 'max',
      op: '>=',
    });
    expect(body).toEqual({ name: 'Hot', metric: 'max', op: '>=', threshold: 80, forWindows: 3 });
    expect(alertRuleBodySchema.safeParse(body).success).toBe(true);
    expect(
      ruleBody({
        ...EMPTY_RULE_FORM,
        name: 'x',
        sensorId: ' boiler-3 ',
        threshold: '1',
        webhookUrl: ' https://h.example/x ',
      }),
    ).toMatchObject({
      sensorId: 'boiler-3',
      webhookUrl: 'https://h.example/x',
    });
  });

  it('send a blank or mistyped number as null, so the server names the field', () => {
    const body = ruleBody({ ...EMPTY_RULE_FORM, name: 'x', threshold: '', forWindows: 'abc' });
    expect(body).toMatchObject({ threshold: null, forWindows: null });
    expect(alertRuleBodySchema.safeParse(body).success).toBe(false);
  });

  it('give new rules a readable id the server accepts', () => {
    expect(newRuleId('Boiler too hot!', () => 0.5)).toBe('boiler-too-hot-i00000');
    expect(newRuleId('°°°', () => 0)).toBe('rule-000000');
    expect(newRuleId('x'.repeat(100))).toMatch(/^x{40}-[0-9a-z]{6}$/);
    expect(newRuleId('Température élevée', () => 0.999)).toMatch(/^temperature-elevee-/);
  });
});

const event = (over: Partial<AlertEvent>): AlertEvent => ({
  id: 'r/s/0/alert',
  kind: 'alert',
  ruleId: 'r',
  ruleName: 'Hot',
  condition: 'mean > 80 for 3 windows',
  sensorId: 'boiler-3',
  windowStart: 0,
  windowEnd: 5_000,
  value: 91.5,
  firedAt: 10_000,
  ...over,
});

describe('panel text', () => {
  it('reads rules and events as sentences', () => {
    expect(
      ruleSummary({ id: 'r', name: 'n', metric: 'mean', op: '>', threshold: 80, forWindows: 3, updatedAt: 0 }),
    ).toBe('mean > 80 for 3 windows on any sensor');
    expect(
      ruleSummary({
        id: 'r',
        name: 'n',
        sensorId: 'b',
        metric: 'min',
        op: '<',
        threshold: 0,
        forWindows: 1,
        updatedAt: 0,
      }),
    ).toBe('min < 0 for 1 window on sensor b');
    expect(eventSentence(event({}))).toMatch(
      /^boiler-3: Hot \(mean > 80 for 3 windows\) fired at the window .+, value 91\.5\.$/,
    );
    expect(eventSentence(event({ kind: 'resolved', reason: 'gap' }))).toMatch(
      /resolved at the window .+, because a window was missing\.$/,
    );
  });
});

describe('panel markup', () => {
  it('offers the base five metrics, and the extras only when the windows carry them', () => {
    const options = (aggregates: string[]) =>
      [
        ...renderToStaticMarkup(createElement(AlertsPanel, { sensors: [], aggregates })).matchAll(
          /<option value="([a-z0-9]+)"/g,
        ),
      ]
        .map((m) => m[1])
        .filter((v) => !['>', '>=', '<', '<='].includes(v));
    expect(options([])).toEqual(['sum', 'count', 'min', 'max', 'mean']);
    expect(options(['p95', 'stddev'])).toEqual(['sum', 'count', 'min', 'max', 'mean', 'stddev', 'p95']);
  });

  it('labels every control and says when nothing is loaded yet', () => {
    const html = renderToStaticMarkup(createElement(AlertsPanel, { sensors: ['a', 'b'], aggregates: [] }));
    // Every input and select sits inside a <label> with its text.
    const controls = html.match(/<(input|select)\b/g) ?? [];
    expect(controls.length).toBe(7);
    for (const label of [
      'Name',
      'Sensor (blank: every sensor)',
      'Metric',
      'Comparison',
      'Threshold',
      'For windows (1–100)',
      'Webhook URL (optional, http or https)',
    ]) {
      expect(html).toMatch(new RegExp(`<label>${label.replace(/[()]/g, '\\$&')}<(input|select)`));
    }
    expect(html).toContain('<option value="a">');
    expect(html).toContain('Loading rules…');
    expect(html).toContain('Loading alerts…');
    expect(html).toContain('type="submit"');
  });

  it('lists rules with named delete buttons, and who is alerting now', () => {
    const rules = [
      {
        id: 'r',
        name: 'Hot',
        metric: 'mean' as const,
        op: '>' as const,
        threshold: 80,
        forWindows: 3,
        // As the API answers it: the webhook's origin only (lib/alerts/webhookOrigin.ts).
        webhookOrigin: 'https://h.example',
        updatedAt: 0,
      },
    ];
    const list = renderToStaticMarkup(createElement(RuleList, { rules, max: 200, onDeleted: () => undefined }));
    expect(list).toContain('aria-label="Delete rule Hot"');
    expect(list).toContain('Webhook to https://h.example');
    expect(list).not.toContain('secret');
    const alerts = renderToStaticMarkup(
      createElement(AlertList, { events: [event({})], ruleNames: new Map([['r', 'Hot']]) }),
    );
    expect(alerts).toMatch(/Alerting now: boiler-3 \(Hot, since .+\)\./);
    const none = renderToStaticMarkup(
      createElement(AlertList, {
        events: [event({}), event({ id: 'x', kind: 'resolved', reason: 'condition', windowStart: 5_000 })],
        ruleNames: new Map(),
      }),
    );
    expect(none).toContain('No sensor is alerting now.');
  });
});
