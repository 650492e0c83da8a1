/** Progress of a re-window job as shown to the user. Pure. */
import type { RewindowProgress, RewindowStatus } from '../contract';

/**
 * `totalRecords` is an estimate from offsets (an upper bound: transaction markers and aborted
 * records take offsets but are never read), so a finished job is at 1 whatever it read, a running
 * one stays below 1 until it has finished, and a cancelled or failed one shows how far it got.
 */
export function progressOf(readRecords: number, totalRecords: number, status: RewindowStatus): RewindowProgress {
  if (status === 'done') return { readRecords, totalRecords, fraction: 1 };
  const share = totalRecords <= 0 ? 0 : readRecords / totalRecords;
  return { readRecords, totalRecords, fraction: Math.min(share, status === 'running' ? 0.99 : 1) };
}
