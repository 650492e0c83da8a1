/**
 * Counts per sensor in bounded memory: a producer inventing sensor ids must not grow a web server's
 * or a worker's maps without end. Once `maxSensors` sensors are counted, a new one is not added.
 */

/** Adds `n` to `sensorId`'s count; false (nothing added) when it is new and `maxSensors` are counted already. */
export function addSensorCount(into: Map<string, number>, sensorId: string, n: number, maxSensors: number): boolean {
  const known = into.get(sensorId);
  if (known === undefined && into.size >= maxSensors) return false;
  into.set(sensorId, (known ?? 0) + n);
  return true;
}
