/** The page's polling loop: one call at a time, a pause while the page is hidden, at once when it shows. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startPoller, type PageVisibility } from '@/components/shared/poller';

/** A page whose visibility the test sets. */
function page(): PageVisibility & { show(hidden: boolean): void } {
  const listeners = new Set<() => void>();
  const p = {
    hidden: false,
    addEventListener: (_type: string, listener: () => void) => void listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => void listeners.delete(listener),
    show(hidden: boolean) {
      p.hidden = hidden;
      for (const listener of listeners) listener();
    },
  };
  return p;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('startPoller', () => {
  it('polls at once, then every period after each call ends', async () => {
    let calls = 0;
    const poller = startPoller(() => void calls++, 1_000, page());
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(calls).toBe(3);
    poller.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toBe(3);
  });

  it('does not poll while the page is hidden, and polls at once when it shows again', async () => {
    const p = page();
    const hidden: boolean[] = [];
    let calls = 0;
    const poller = startPoller(() => void calls++, 1_000, p, { onHidden: (h) => hidden.push(h) });
    await vi.advanceTimersByTimeAsync(0);
    p.show(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(1);
    poller.now(); // nor when asked
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    p.show(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(2);
    expect(hidden).toEqual([false, true, false]);
    poller.stop();
  });

  it('runs one call at a time: asked during a slow call, it polls once more right after', async () => {
    let calls = 0;
    let running = 0;
    let most = 0;
    const poller = startPoller(
      async () => {
        calls++;
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 3_000));
        running--;
      },
      1_000,
      page(),
    );
    await vi.advanceTimersByTimeAsync(100);
    poller.now();
    poller.now();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls).toBe(2);
    expect(most).toBe(1);
    poller.stop();
  });

  it('goes on after a call that throws, and aborts the call in flight when stopped', async () => {
    let calls = 0;
    let signal: AbortSignal | null = null;
    const poller = startPoller(
      async (s) => {
        calls++;
        signal = s;
        if (calls === 1) throw new Error('boom');
        await new Promise((r) => setTimeout(r, 5_000));
      },
      1_000,
      page(),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
    poller.stop();
    expect(signal!.aborted).toBe(true);
  });
});
