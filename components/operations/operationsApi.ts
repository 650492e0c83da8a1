/** The Operations view's calls: the group's progress, the records set aside, and their redrive. */
import type { AsideRecordsPage, OperationsOverview, RedriveOutcome, RedriveRequest } from '@/lib/contract';
import { request, type RequestResult } from '@/components/shared/request';
import type { AsideKind } from '@/components/operations/AsideQuery';
import type { RedriveReply } from '@/components/operations/opsText';

/** A redrive's answer lists each record's outcome, refused (409) or not. */
function outcomeOf(body: unknown): RedriveOutcome | null {
  return Array.isArray((body as Partial<RedriveOutcome> | null)?.results) ? (body as RedriveOutcome) : null;
}

export const operationsApi = {
  overview: () => request<OperationsOverview>('GET', '/api/operations'),
  aside: (kind: AsideKind, limit: number) => request<AsideRecordsPage>('GET', `/api/${kind}?limit=${limit}`),
  redrive: (body: RedriveRequest) => request<RedriveOutcome>('POST', '/api/dead-letters/redrive', { body }),
};

/** A redrive's answer as opsText.ts words it. */
export function redriveReply(answer: RequestResult<RedriveOutcome>): RedriveReply {
  if (answer.ok) return { status: 200, outcome: outcomeOf(answer.data), error: null };
  return { status: answer.status, outcome: outcomeOf(answer.body), error: answer.message };
}
