/** The web role's count of dead letters sent back to the input topic from the Operations view. */
import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../../metrics/registry';

export function redriveCounter(registry: Registry): Counter<'value'> {
  return new Counter({
    name: `${METRIC_PREFIX}redrives_total`,
    help: 'Dead letters redriven to the input topic, by value: the original bytes or a replacement',
    labelNames: ['value'],
    registers: [registry],
  });
}
