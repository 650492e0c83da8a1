/** A 1 s window of one reading of `value`, as the output topic and the API carry it. */
import type { WindowResultRecord } from '../../lib/contract';

export function oneReadingWindow(sensorId: string, windowStart: number, value = 1): WindowResultRecord {
  return {
    sensorId,
    windowStart,
    windowEnd: windowStart + 1_000,
    count: 1,
    sum: value,
    min: value,
    max: value,
    mean: value,
  };
}
