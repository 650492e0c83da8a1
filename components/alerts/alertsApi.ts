/** The alert rules and events: listed and changed by the alerts panel, read once by the live store. */
import type { AlertEventsPage, AlertRuleBody, AlertRulesList, AlertRuleView } from '@/lib/contract';
import { request } from '@/components/shared/request';

const rulePath = (id: string) => `/api/alert-rules/${encodeURIComponent(id)}`;

export const alertsApi = {
  getRules: () => request<AlertRulesList>('GET', '/api/alert-rules'),
  putRule: (id: string, rule: AlertRuleBody) => request<AlertRuleView>('PUT', rulePath(id), { body: rule }),
  deleteRule: (id: string) => request<{ deleted: string }>('DELETE', rulePath(id)),
  getEvents: (limit: number) => request<AlertEventsPage>('GET', `/api/alerts?limit=${limit}`),
};
