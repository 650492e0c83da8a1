'use client';
/** Window size and allowed lateness form: Apply sends PUT /api/config and shows the server's error. */
import { useState, type FormEvent } from 'react';
import type { RuntimeConfig } from '@/lib/contract';
import { controlsApi } from '@/components/dashboard/controlsApi';
import { confirmAction } from '@/components/shared/confirm';
import { numberOrNull } from '@/components/shared/formValues';
import { useSubmit } from '@/components/shared/useSubmit';
import { pendingText } from '@/components/dashboard/StatusBar';

const PRESETS = ['1', '5', '10', '30', '60'] as const;

function choiceFor(seconds: number): { choice: string; custom: string } {
  const text = String(seconds);
  return (PRESETS as readonly string[]).includes(text)
    ? { choice: text, custom: '' }
    : { choice: 'custom', custom: text };
}

export function ConfigControls({
  config,
  onApplied,
}: {
  config: RuntimeConfig | null;
  onApplied(config: RuntimeConfig): void;
}) {
  const [loaded, setLoaded] = useState(false);
  const [choice, setChoice] = useState('5');
  const [custom, setCustom] = useState('');
  const [lateness, setLateness] = useState('');
  const { busy, error, setError, submit } = useSubmit();
  const [notice, setNotice] = useState('');

  // Fill the form from the first config seen; after that it holds what the user typed.
  if (config && !loaded) {
    setLoaded(true);
    const initial = choiceFor(config.pending?.windowSeconds ?? config.windowSeconds);
    setChoice(initial.choice);
    setCustom(initial.custom);
    setLateness(String(config.allowedLatenessSeconds));
  }

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    setNotice('');
    const windowSeconds = choice === 'custom' ? numberOrNull(custom) : Number(choice);
    // A new size changes every worker's windows from a moment on, for every dashboard: ask first.
    const current = config && (config.pending?.windowSeconds ?? config.windowSeconds);
    if (typeof windowSeconds === 'number' && windowSeconds > 0 && windowSeconds !== current) {
      const confirmed = await confirmAction({
        title: 'Change the window size?',
        message: `Every worker will close ${windowSeconds} s windows instead of ${current ?? '?'} s ones, for every dashboard, from the next window boundary on.`,
        action: `Use ${windowSeconds} s windows`,
      });
      if (!confirmed) return;
    }
    const result = await submit(() =>
      controlsApi.putConfig({ windowSeconds, allowedLatenessSeconds: numberOrNull(lateness) }),
    );
    if (!result.ok) return;
    onApplied(result.data);
    const pending = pendingText(result.data);
    setNotice(pending ? `Applied: ${pending}` : 'Applied.');
  };

  return (
    <form className="control-group" onSubmit={apply} noValidate>
      <h3>Windowing</h3>
      <label>
        Window size
        <select
          data-testid="window-size-select"
          value={choice}
          onChange={(e) => {
            setChoice(e.target.value);
            setError('');
          }}
        >
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {p} s
            </option>
          ))}
          <option value="custom">custom…</option>
        </select>
      </label>
      <label className={choice === 'custom' ? undefined : 'dimmed'}>
        Custom size (s)
        <input
          data-testid="window-size-custom"
          type="number"
          inputMode="decimal"
          min={0.1}
          step="any"
          placeholder="e.g. 2.5"
          value={custom}
          onChange={(e) => {
            setCustom(e.target.value);
            setChoice('custom');
            setError('');
          }}
        />
      </label>
      <label>
        Allowed lateness (s)
        <input
          data-testid="lateness-input"
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          value={lateness}
          onChange={(e) => {
            setLateness(e.target.value);
            setError('');
          }}
        />
      </label>
      <button type="submit" className="primary" data-testid="apply-config" disabled={busy}>
        {busy ? 'Applying…' : 'Apply'}
      </button>
      <p className="form-error" role="alert" data-testid="config-error">
        {error}
      </p>
      {notice && !error && <p className="form-notice">{notice}</p>}
    </form>
  );
}
