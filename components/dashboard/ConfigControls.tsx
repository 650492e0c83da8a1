'use client';
/** Window size and allowed lateness form: Apply sends PUT /api/config and shows the server's error. */
import { useState, type FormEvent } from 'react';
import { CALENDAR_UNITS, type CalendarUnit } from '@/lib/calendarUnits';
import type { RuntimeConfig } from '@/lib/contract';
import { formatWindowSize } from '@/components/shared/format';
import { controlsApi } from '@/components/dashboard/controlsApi';
import { confirmAction } from '@/components/shared/confirm';
import { numberOrNull } from '@/components/shared/formValues';
import { useSubmit } from '@/components/shared/useSubmit';
import { pendingText } from '@/components/dashboard/StatusBar';

const PRESETS = ['1', '5', '10', '30', '60'] as const;

/** The browser's own time zone: what a calendar size means to the person choosing it. */
const ownTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const isCalendarChoice = (choice: string): choice is CalendarUnit =>
  (CALENDAR_UNITS as readonly string[]).includes(choice);

function choiceFor(size: Pick<RuntimeConfig, 'windowSeconds' | 'calendar'>): {
  choice: string;
  custom: string;
  timeZone: string;
} {
  if (size.calendar) return { choice: size.calendar.unit, custom: '', timeZone: size.calendar.timeZone };
  const text = String(size.windowSeconds);
  return (PRESETS as readonly string[]).includes(text)
    ? { choice: text, custom: '', timeZone: ownTimeZone() }
    : { choice: 'custom', custom: text, timeZone: ownTimeZone() };
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
  const [timeZone, setTimeZone] = useState('UTC');
  const [lateness, setLateness] = useState('');
  const { busy, error, setError, submit } = useSubmit();
  const [notice, setNotice] = useState('');

  // Fill the form from the first config seen; after that it holds what the user typed.
  if (config && !loaded) {
    setLoaded(true);
    const initial = choiceFor(config.pending ?? config);
    setChoice(initial.choice);
    setCustom(initial.custom);
    setTimeZone(initial.timeZone);
    setLateness(String(config.allowedLatenessSeconds));
  }

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    setNotice('');
    const calendar = isCalendarChoice(choice) ? { unit: choice, timeZone: timeZone.trim() } : null;
    const windowSeconds = calendar ? null : choice === 'custom' ? numberOrNull(custom) : Number(choice);
    // A new size changes every worker's windows from a moment on, for every dashboard: ask first.
    const inForce = config && formatWindowSize(config.pending ?? config);
    const asked = calendar ? formatWindowSize({ windowSeconds: 0, calendar }) : `${windowSeconds} s`;
    const valid = calendar !== null || (typeof windowSeconds === 'number' && windowSeconds > 0);
    if (valid && asked !== inForce) {
      const confirmed = await confirmAction({
        title: 'Change the window size?',
        message: `Every worker will close ${asked} windows instead of ${inForce ?? '?'} ones, for every dashboard, from the next window boundary on.`,
        action: `Use ${asked} windows`,
      });
      if (!confirmed) return;
    }
    const lateSeconds = numberOrNull(lateness);
    const result = await submit(() =>
      controlsApi.putConfig(
        calendar
          ? { calendar: calendar.unit, timeZone: calendar.timeZone, allowedLatenessSeconds: lateSeconds }
          : { windowSeconds, allowedLatenessSeconds: lateSeconds },
      ),
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
          {CALENDAR_UNITS.map((unit) => (
            <option key={unit} value={unit}>
              local {unit}
            </option>
          ))}
          <option value="custom">custom…</option>
        </select>
      </label>
      <label className={isCalendarChoice(choice) ? undefined : 'dimmed'}>
        Time zone (for a local hour, day or week)
        <input
          data-testid="window-time-zone"
          type="text"
          autoComplete="off"
          spellCheck={false}
          placeholder="e.g. Europe/Helsinki"
          value={timeZone}
          onChange={(e) => {
            setTimeZone(e.target.value);
            setError('');
          }}
        />
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
