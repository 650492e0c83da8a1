/** Which records the inspector shows, and how many. */

const LIMITS = [25, 50, 100, 500];

/** Which topic of records set aside the inspector shows. */
export type AsideKind = 'dead-letters' | 'late';

export function AsideQuery({
  kind,
  onKind,
  limit,
  onLimit,
}: {
  kind: AsideKind;
  onKind(kind: AsideKind): void;
  limit: number;
  onLimit(limit: number): void;
}) {
  return (
    <div className="ops-query">
      <label>
        Show
        <select value={kind} onChange={(e) => onKind(e.target.value as AsideKind)} data-testid="aside-kind">
          <option value="dead-letters">Dead letters</option>
          <option value="late">Late readings</option>
        </select>
      </label>
      <label>
        How many
        <select value={limit} onChange={(e) => onLimit(Number(e.target.value))}>
          {LIMITS.map((n) => (
            <option key={n} value={n}>
              {n} newest
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
