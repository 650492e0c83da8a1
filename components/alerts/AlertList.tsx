'use client';
/** The sensors alerting now, and the latest alert events (newest first). */
import type { AlertEvent } from '@/lib/contract';
import { alertingSensors } from '@/lib/alerts/alertingSensors';
import { eventSentence, sinceText } from '@/components/alerts/alertText';

export function AlertList({ events, ruleNames }: { events: AlertEvent[] | null; ruleNames: Map<string, string> }) {
  const alerting = events ? [...alertingSensors(events)].sort(([a], [b]) => (a < b ? -1 : 1)) : [];
  return (
    <section className="control-group" aria-labelledby="alert-events-title">
      <h3 id="alert-events-title">Latest alerts</h3>
      <p className="alerts-now" aria-live="polite" data-testid="alerting-now">
        {events === null
          ? 'Loading alerts…'
          : alerting.length === 0
            ? 'No sensor is alerting now.'
            : `Alerting now: ${alerting.map(([sensor, { ruleId, since }]) => `${sensor} (${ruleNames.get(ruleId) ?? ruleId}, ${sinceText(since)})`).join('; ')}.`}
      </p>
      {events && events.length > 0 && (
        <ol className="alert-events" data-testid="alert-events">
          {events.map((e) => (
            <li key={`${e.id}@${e.firedAt}`} className={`alert-event ${e.kind}`}>
              <span className="alert-event-kind">{e.kind === 'alert' ? 'Alert' : 'Resolved'}</span> {eventSentence(e)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
