'use client';
/** The settings column: windowing config and the simulator. */
import type { RuntimeConfig, SimulatorStatus } from '@/lib/contract';
import { ConfigControls } from '@/components/dashboard/ConfigControls';
import { SimulatorControls } from '@/components/dashboard/SimulatorControls';

export function ControlsPanel({
  config,
  simulator,
  onConfig,
  onSimulator,
}: {
  config: RuntimeConfig | null;
  simulator: SimulatorStatus | null;
  onConfig(config: RuntimeConfig): void;
  onSimulator(status: SimulatorStatus): void;
}) {
  return (
    <aside className="panel controls">
      <ConfigControls config={config} onApplied={onConfig} />
      <SimulatorControls simulator={simulator} onChanged={onSimulator} />
    </aside>
  );
}
