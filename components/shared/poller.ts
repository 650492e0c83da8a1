/**
 * The page's one polling loop: `poll` now, then `everyMs` after each call ends, one call at a time
 * (a slow answer is never overtaken by the next), and none while the page is hidden (no one is
 * looking, and a forgotten tab should not load the server); it polls at once when the page shows
 * again. The page is passed in, so the rules are unit-tested without a browser; usePolling.ts
 * runs the loop in a component.
 */

/** What the loop needs of `document`. */
export interface PageVisibility {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface Poller {
  /** Polls at once, or right after the call in flight; nothing while the page is hidden. */
  now(): void;
  /** Ends the loop and aborts the call in flight. */
  stop(): void;
}

interface PollerOptions {
  /** Told whether the page is hidden, at the start and on every change. */
  onHidden?(hidden: boolean): void;
}

export function startPoller(
  poll: (signal: AbortSignal) => Promise<void> | void,
  everyMs: number,
  page: PageVisibility,
  { onHidden }: PollerOptions = {},
): Poller {
  const stopping = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let polling = false;
  let again = false;

  const tick = async (): Promise<void> => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (stopping.signal.aborted || page.hidden) return;
    if (polling) {
      again = true;
      return;
    }
    polling = true;
    try {
      await poll(stopping.signal);
    } catch {
      // Saying what failed is the caller's part; the loop goes on.
    } finally {
      polling = false;
    }
    if (stopping.signal.aborted) return;
    if (again) {
      again = false;
      return tick();
    }
    timer = setTimeout(() => void tick(), everyMs);
  };

  const onVisibility = () => {
    onHidden?.(page.hidden);
    void tick();
  };
  page.addEventListener('visibilitychange', onVisibility);
  onHidden?.(page.hidden);
  void tick();

  return {
    now: () => void tick(),
    stop: () => {
      stopping.abort();
      if (timer !== null) clearTimeout(timer);
      page.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
