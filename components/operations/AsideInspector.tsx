'use client';
/**
 * The latest dead letters or late readings: where each came from, why, and its original bytes.
 * Dead letters can be selected and redriven (RedrivePanel).
 */
import { useCallback, useState } from 'react';
import type { AsideRecordView } from '@/lib/contract';
import { AsideQuery, type AsideKind } from '@/components/operations/AsideQuery';
import { BytesCell } from '@/components/operations/BytesCell';
import { downloadDeadLetter } from '@/components/operations/downloadDeadLetter';
import { failureSentence } from '@/components/shared/request';
import { isoTime, localTime } from '@/components/shared/format';
import { operationsApi } from '@/components/operations/operationsApi';
import { RedrivePanel } from '@/components/operations/RedrivePanel';
import { ScrollTable } from '@/components/operations/ScrollTable';
import { usePolledData } from '@/components/operations/usePolledData';

const REFRESH_MS = 3_000;
const keyOf = (r: { partition: number; offset: string }) => `${r.partition}/${r.offset}`;

export function AsideInspector({ now }: { now: number }) {
  const [kind, setKind] = useState<AsideKind>('dead-letters');
  const [limit, setLimit] = useState(50);
  // Each answer says which topic it is for, so a list never shows under the other's heading.
  const load = useCallback(
    () =>
      operationsApi.aside(kind, limit).then((r) => (r.ok ? { ok: true as const, data: { kind, page: r.data } } : r)),
    [kind, limit],
  );
  const polled = usePolledData(load, REFRESH_MS);
  const page = { ...polled, data: polled.data?.kind === kind ? polled.data.page : null };
  /** Selected dead letters by partition/offset, kept while the list refreshes around them. */
  const [selected, setSelected] = useState<ReadonlyMap<string, AsideRecordView>>(new Map());
  // Another topic shown: nothing of it is selected (set while rendering; React renders again at once).
  const [selectedIn, setSelectedIn] = useState(kind);
  if (selectedIn !== kind) {
    setSelectedIn(kind);
    setSelected(new Map());
  }
  const [downloadError, setDownloadError] = useState('');
  const download = (record: AsideRecordView) => {
    setDownloadError('');
    void downloadDeadLetter(record).then((answer) => {
      if (!answer.ok)
        setDownloadError(
          `The dead letter at partition ${record.partition}, offset ${record.offset} was not downloaded. ${failureSentence(answer)}`,
        );
    });
  };
  const records = page.data?.records ?? [];
  const deadLetters = kind === 'dead-letters';
  const title = deadLetters ? 'Dead letters' : 'Late readings';

  const toggle = (record: AsideRecordView) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (!next.delete(keyOf(record))) next.set(keyOf(record), record);
      return next;
    });
  const allShownSelected = records.length > 0 && records.every((r) => selected.has(keyOf(r)));
  const toggleAll = () =>
    setSelected((prev) => {
      const next = new Map(prev);
      for (const r of records) {
        if (allShownSelected) next.delete(keyOf(r));
        else next.set(keyOf(r), r);
      }
      return next;
    });

  return (
    <section className="panel ops-section" aria-labelledby="aside-heading">
      <div className="panel-header">
        <h2 id="aside-heading">Records set aside</h2>
        <AsideQuery kind={kind} onKind={setKind} limit={limit} onLimit={setLimit} />
      </div>
      {page.error && (
        <p className="ops-notice bad" role="alert">
          The {title.toLowerCase()} could not be read: {page.error}.
        </p>
      )}
      {downloadError && (
        <p className="ops-notice bad" role="alert">
          {downloadError}
        </p>
      )}
      {page.data && page.data.topic === null ? (
        <p className="muted">
          Late readings are not written to any topic here (LATE_TOPIC=none); they are only counted.
        </p>
      ) : (
        <ScrollTable
          testId={`${kind}-table`}
          caption={
            <>
              {title}: the {records.length} newest
              {page.data?.topic ? (
                <>
                  {' '}
                  in <code>{page.data.topic}</code>
                </>
              ) : null}
              , newest first
            </>
          }
        >
          <thead>
            <tr>
              {deadLetters && (
                <th scope="col" className="check">
                  <input
                    type="checkbox"
                    checked={allShownSelected}
                    onChange={toggleAll}
                    disabled={records.length === 0}
                    aria-label="Select every dead letter shown"
                  />
                </th>
              )}
              <th scope="col">Time</th>
              <th scope="col">Reason</th>
              <th scope="col">Read from</th>
              <th scope="col">Position here</th>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              {deadLetters && <th scope="col">Redriven</th>}
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={keyOf(r)} className={selected.has(keyOf(r)) ? 'selected' : undefined}>
                {deadLetters && (
                  <td className="check">
                    <input
                      type="checkbox"
                      checked={selected.has(keyOf(r))}
                      onChange={() => toggle(r)}
                      aria-label={`Select the dead letter at partition ${r.partition}, offset ${r.offset}`}
                    />
                  </td>
                )}
                <td>
                  <time dateTime={isoTime(r.timestamp)}>{localTime(r.timestamp, now)}</time>
                </td>
                <td className="ops-wrap">{r.reason ?? <span className="muted">not given</span>}</td>
                <td>
                  {r.source.topic ?? '?'} / {r.source.partition ?? '?'} / {r.source.offset ?? '?'}
                </td>
                <td>
                  {r.partition} / {r.offset}
                </td>
                <BytesCell view={r.key} />
                <BytesCell view={r.value} onDownload={deadLetters ? () => download(r) : undefined} />
                {deadLetters && (
                  <td>
                    {r.redrivenAt ? (
                      <time dateTime={isoTime(r.redrivenAt)}>{localTime(r.redrivenAt, now)}</time>
                    ) : (
                      <span className="muted">no</span>
                    )}
                  </td>
                )}
              </tr>
            ))}
            {records.length === 0 && (
              <tr>
                <td colSpan={deadLetters ? 8 : 6} className="muted">
                  {page.data ? `No ${title.toLowerCase()} in the topic's recent records.` : 'Loading…'}
                </td>
              </tr>
            )}
          </tbody>
        </ScrollTable>
      )}
      {deadLetters && page.data?.topic && (
        <RedrivePanel
          dlqTopic={page.data.topic}
          selected={[...selected.values()]}
          onDone={() => {
            setSelected(new Map());
            page.refresh();
          }}
          onClear={() => setSelected(new Map())}
        />
      )}
    </section>
  );
}
