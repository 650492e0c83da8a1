'use client';
/**
 * Sends the selected dead letters back to the input topic. With one record selected its value may
 * be replaced ("fixed") first. The outcome is said in sentences, announced to screen readers.
 * When the server wants a control token (401), the page's token dialog asks for it.
 */
import { useState, type FormEvent } from 'react';
import type { AsideRecordView, RedriveRequest } from '@/lib/contract';
import { operationsApi, redriveReply } from '@/components/operations/operationsApi';
import { redriveSentences } from '@/components/operations/opsText';
import { confirmAction } from '@/components/shared/confirm';
import { useSubmit } from '@/components/shared/useSubmit';

export function RedrivePanel({
  dlqTopic,
  selected,
  onDone,
  onClear,
}: {
  dlqTopic: string;
  selected: AsideRecordView[];
  onDone(): void;
  onClear(): void;
}) {
  const [replace, setReplace] = useState(false);
  const [replacement, setReplacement] = useState('');
  const [again, setAgain] = useState(false);
  // The outcome says what went wrong too, record by record.
  const { busy, submit } = useSubmit(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; sentences: string[] } | null>(null);
  const single = selected.length === 1 ? selected[0] : null;
  const replacing = replace && single !== null;

  const startReplacing = (on: boolean) => {
    setReplace(on);
    // Start from the original text when there is one (base64 bytes are not a useful start).
    if (on && single?.value?.encoding === 'utf8' && !single.value.truncated) setReplacement(single.value.data);
  };

  const redrive = async (event: FormEvent) => {
    event.preventDefault();
    if (selected.length === 0 || busy) return;
    const count = `${selected.length} dead ${selected.length === 1 ? 'letter' : 'letters'}`;
    const confirmed = await confirmAction({
      title: 'Redrive to the input topic?',
      message: `${count} will be sent back to the input topic${replacing ? ' with the replacement value' : ''} and windowed again.`,
      action: 'Redrive',
    });
    if (!confirmed) return;
    const request: RedriveRequest = {
      records: selected.map((r) => ({
        partition: r.partition,
        offset: r.offset,
        ...(replacing ? { value: replacement } : {}),
      })),
      ...(again ? { again: true } : {}),
    };
    setOutcome(null);
    const reply = redriveReply(await submit(() => operationsApi.redrive(request)));
    setOutcome({ ok: reply.status === 200, sentences: redriveSentences(reply, dlqTopic) });
    if (reply.status === 200) {
      setReplace(false);
      setAgain(false);
      onDone();
    }
  };

  return (
    <form className="ops-redrive" onSubmit={redrive} aria-labelledby="redrive-heading" noValidate>
      <h3 id="redrive-heading">Redrive to the input topic</h3>
      <p className="muted" aria-live="polite">
        {selected.length === 0
          ? 'Select dead letters above to send them back to the input topic.'
          : `${selected.length} dead ${selected.length === 1 ? 'letter' : 'letters'} selected.`}
      </p>
      {single && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={replace}
            onChange={(e) => startReplacing(e.target.checked)}
            data-testid="replace-toggle"
          />
          Replace its value before sending (fix it)
        </label>
      )}
      {replacing && (
        <label>
          Replacement value (sent instead of the original bytes, as UTF-8)
          <textarea
            value={replacement}
            onChange={(e) => setReplacement(e.target.value)}
            rows={3}
            spellCheck={false}
            data-testid="replacement-input"
          />
        </label>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={again} onChange={(e) => setAgain(e.target.checked)} />
        Send again: also redrive records that were redriven before
      </label>
      <div className="ops-actions">
        <button type="submit" className="primary" disabled={selected.length === 0 || busy} data-testid="redrive-button">
          {busy ? 'Redriving…' : selected.length > 0 ? `Redrive (${selected.length})` : 'Redrive'}
        </button>
        <button type="button" onClick={onClear} disabled={selected.length === 0 || busy}>
          Clear selection
        </button>
      </div>
      <div
        role="status"
        aria-live="polite"
        className={outcome ? `ops-outcome ${outcome.ok ? 'ok' : 'bad'}` : 'ops-outcome'}
        data-testid="redrive-outcome"
      >
        {outcome?.sentences.map((s, i) => (
          <p key={i}>{s}</p>
        ))}
      </div>
    </form>
  );
}
