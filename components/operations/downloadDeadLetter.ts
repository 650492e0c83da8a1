/** Saves one dead letter's whole value: the list shows only its first 8 KiB. */
import type { AsideRecordView } from '@/lib/contract';
import { request, type RequestResult } from '@/components/shared/request';

export async function downloadDeadLetter(record: { partition: number; offset: string }): Promise<RequestResult<null>> {
  const answer = await request<AsideRecordView>('GET', `/api/dead-letters/${record.partition}/${record.offset}`);
  if (!answer.ok) return answer;
  const { topic, partition, offset, value } = answer.data;
  const bytes =
    value === null
      ? new Uint8Array()
      : value.encoding === 'base64'
        ? Uint8Array.from(atob(value.data), (ch) => ch.charCodeAt(0))
        : new TextEncoder().encode(value.data);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  link.download = `${topic}-${partition}-${offset}.bin`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return { ok: true, data: null };
}
