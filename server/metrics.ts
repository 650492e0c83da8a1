/** Counters shared by the parts of one process; the web part turns them into `stats`. */
export class Metrics {
  readingsTotal = 0;
  windowsTotal = 0;
  lateTotal = 0;
  invalidTotal = 0;
  scheduleConflicts = 0;
  readonly lateBySensor = new Map<string, number>();
  kafkaConnected = false;
  /** Lowest watermark over the partitions this process windows (ms); null before any reading. */
  lowestWatermarkMs: number | null = null;
  openWindows = 0;
  partitions: number[] = [];

  countLate(sensorId: string): void {
    this.lateTotal++;
    this.lateBySensor.set(sensorId, (this.lateBySensor.get(sensorId) ?? 0) + 1);
  }
}
