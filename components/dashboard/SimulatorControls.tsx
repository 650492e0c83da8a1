'use client';
/** Starts and stops the reading simulator (POST /api/simulator/start|stop). */
import { useState, type FormEvent } from 'react';
import type { SimulatorStatus } from '@/lib/contract';
import type { SimulatedValues } from '@/lib/simulation';
import { controlsApi } from '@/components/dashboard/controlsApi';
import { confirmAction } from '@/components/shared/confirm';
import { numberOrNull, optionalNumber } from '@/components/shared/formValues';
import type { RequestResult } from '@/components/shared/request';
import { useSubmit } from '@/components/shared/useSubmit';

export function SimulatorControls({
  simulator,
  onChanged,
}: {
  simulator: SimulatorStatus | null;
  onChanged(status: SimulatorStatus): void;
}) {
  const [loaded, setLoaded] = useState(false);
  const [sensors, setSensors] = useState('');
  const [rate, setRate] = useState('');
  const [jitter, setJitter] = useState('');
  const [lateShare, setLateShare] = useState('');
  const [values, setValues] = useState<SimulatedValues>('counts');
  const [keyed, setKeyed] = useState(false);
  const { busy, error, submit } = useSubmit();

  // Fill the form from the first status seen; after that it holds what the user typed.
  if (simulator && !loaded) {
    setLoaded(true);
    setSensors(String(simulator.sensors));
    setRate(String(simulator.ratePerSensor));
    setJitter(simulator.jitterSeconds ? String(simulator.jitterSeconds) : '');
    setLateShare(simulator.lateShare ? String(simulator.lateShare) : '');
    setValues(simulator.values);
    setKeyed(simulator.keyed);
  }

  const run = async (call: () => Promise<RequestResult<SimulatorStatus>>) => {
    const result = await submit(call);
    if (result.ok) onChanged(result.data);
  };

  const stop = async () => {
    const confirmed = await confirmAction({
      title: 'Stop the simulator?',
      message: 'Simulated readings stop for every dashboard and worker until someone starts it again.',
      action: 'Stop simulator',
    });
    if (confirmed) await run(controlsApi.stopSimulator);
  };

  const start = (event: FormEvent) => {
    event.preventDefault();
    void run(() =>
      controlsApi.startSimulator({
        sensors: numberOrNull(sensors),
        ratePerSensor: numberOrNull(rate),
        jitterSeconds: optionalNumber(jitter) ?? undefined,
        lateShare: optionalNumber(lateShare) ?? undefined,
        values,
        keyed,
      }),
    );
  };

  const state = simulator ? (simulator.running ? 'running' : 'stopped') : 'unknown';
  return (
    <form className="control-group" onSubmit={start} noValidate>
      <h3>
        Simulator{' '}
        <span className={`badge ${state}`} data-testid="simulator-status">
          {state}
        </span>
      </h3>
      <label>
        Sensors
        <input
          data-testid="sensors-input"
          type="number"
          min={1}
          step={1}
          value={sensors}
          onChange={(e) => setSensors(e.target.value)}
        />
      </label>
      <label>
        Readings/s per sensor
        <input
          data-testid="rate-input"
          type="number"
          min={0}
          step="any"
          value={rate}
          onChange={(e) => setRate(e.target.value)}
        />
      </label>
      <label>
        Jitter (s, optional)
        <input
          data-testid="jitter-input"
          type="number"
          min={0}
          max={60}
          step="any"
          value={jitter}
          onChange={(e) => setJitter(e.target.value)}
        />
      </label>
      <label>
        Late share (0–1, optional)
        <input
          data-testid="late-share-input"
          type="number"
          min={0}
          max={1}
          step="any"
          value={lateShare}
          onChange={(e) => setLateShare(e.target.value)}
        />
      </label>
      <label>
        Values
        <select
          data-testid="values-select"
          value={values}
          onChange={(e) => setValues(e.target.value as SimulatedValues)}
        >
          <option value="counts">Counts (Poisson)</option>
          <option value="temperatures">Temperatures (decimals)</option>
        </select>
      </label>
      <label className="checkbox">
        <input data-testid="keyed-input" type="checkbox" checked={keyed} onChange={(e) => setKeyed(e.target.checked)} />
        Key records by sensor id
      </label>
      <div className="button-row">
        <button type="submit" className="primary" data-testid="simulator-start" disabled={busy}>
          {simulator?.running ? 'Restart' : 'Start'}
        </button>
        <button type="button" data-testid="simulator-stop" disabled={busy} onClick={() => void stop()}>
          Stop
        </button>
      </div>
      <p className="form-error" role="alert" data-testid="simulator-error">
        {error}
      </p>
    </form>
  );
}
