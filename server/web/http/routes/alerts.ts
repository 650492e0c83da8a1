/**
 * Alert rules (GET /api/alert-rules, PUT and DELETE /api/alert-rules/<id>) and the latest alert
 * events (GET /api/alerts). Rules live in a compacted topic every web server follows
 * (server/web/alerts/alertRules.ts).
 */
import { alertRuleBodySchema, alertRuleIdSchema, MAX_ALERT_RULES } from '../../../../lib/contract';
import { NOTHING_ALLOWED, urlRefusal } from '../../../../lib/alerts/webhookTargets';
import { ruleView } from '../../../../lib/alerts/webhookOrigin';
import { Refusal } from '../../../../lib/refusal';
import type { ApiContext } from '../apiContext';
import { parseQuery, readBody, served, type Route, type RouteRequest } from '../router';
import { listLimitQuerySchema } from './limitQuery';

export function alertRoutes(ctx: Pick<ApiContext, 'alerts' | 'alertWebhookAllow'>): Route[] {
  const alerts = () => served(ctx.alerts, 503, 'alerts: this process does not serve alerts (it runs no web role)');
  const ruleId = ({ params }: RouteRequest): string => {
    const checked = alertRuleIdSchema.safeParse(params.id);
    if (!checked.success) throw new Refusal(400, `id: ${checked.error.issues[0].message}`);
    return checked.data;
  };
  return [
    // Every answer shows a rule's webhook by its origin only (lib/alerts/webhookOrigin.ts).
    {
      method: 'GET',
      path: '/api/alert-rules',
      handle: () => [200, { rules: alerts().rules().map(ruleView), max: MAX_ALERT_RULES }],
    },
    {
      method: 'PUT',
      path: '/api/alert-rules/:id',
      control: true,
      handle: async (request) => {
        const id = ruleId(request);
        const body = await readBody(request.req, alertRuleBodySchema);
        if (body.id !== undefined && body.id !== id) {
          throw new Refusal(400, `id: must be the id in the path (${id}) when given`);
        }
        // The first check; the one that decides is made on each connection (server/web/alerts/webhookPost.ts).
        const refusal = body.webhookUrl && urlRefusal(body.webhookUrl, ctx.alertWebhookAllow ?? NOTHING_ALLOWED);
        if (refusal) {
          throw new Refusal(
            400,
            `webhookUrl: alert rule ${JSON.stringify(id)} may not call it: ${refusal} (see ALERT_WEBHOOK_ALLOW)`,
          );
        }
        const { rule, created } = await alerts().putRule(id, body);
        return [created ? 201 : 200, ruleView(rule)];
      },
    },
    {
      method: 'DELETE',
      path: '/api/alert-rules/:id',
      control: true,
      handle: async (request) => {
        const id = ruleId(request);
        if (!(await alerts().deleteRule(id))) throw new Refusal(404, `id: no alert rule ${JSON.stringify(id)}`);
        return [200, { deleted: id }];
      },
    },
    {
      method: 'GET',
      path: '/api/alerts',
      handle: ({ url }) => {
        const { limit } = parseQuery(url, listLimitQuerySchema);
        return [200, { events: alerts().recent(limit ?? 100) }];
      },
    },
  ];
}
