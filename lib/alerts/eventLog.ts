/** The latest alert events kept in memory (a ring): what GET /api/alerts answers from. */
import type { AlertEvent } from '../contract';

export class AlertEventLog {
  private events: AlertEvent[] = [];

  constructor(private readonly capacity: number) {}

  add(events: readonly AlertEvent[]): void {
    if (events.length === 0) return;
    this.events.push(...events);
    if (this.events.length > this.capacity) this.events = this.events.slice(this.events.length - this.capacity);
  }

  /** The newest `limit`, newest first. */
  latest(limit: number): AlertEvent[] {
    return this.events.slice(-limit).reverse();
  }

  get size(): number {
    return this.events.length;
  }
}
