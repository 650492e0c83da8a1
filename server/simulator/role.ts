/** The simulator role: simulated sensors producing readings to the input topic, started on demand. */
import type { RoleContext } from '../shared/roleContext';
import { Simulator } from './simulator';

export async function startSimulatorRole({ kafka, config, onStop }: RoleContext): Promise<Simulator> {
  const simulator = new Simulator(kafka, config);
  await simulator.connect();
  onStop(() => simulator.close());
  if (config.simulator.autostart) simulator.start();
  return simulator;
}
