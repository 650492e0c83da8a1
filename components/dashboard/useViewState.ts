'use client';
/** The view (range, sensors, metric) kept in the URL: a link opens the same view, Back undoes a zoom. */
import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_VIEW, parseView, viewQuery, type ViewState } from '@/components/dashboard/viewState';

export function useViewState(): [ViewState, (change: Partial<ViewState>, how?: 'push' | 'replace') => void] {
  const [view, setView] = useState<ViewState>(DEFAULT_VIEW);

  useEffect(() => {
    // The server renders the default view; the URL's is read once mounted.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- URL read once mounted
    setView(parseView(window.location.search));
    const onPop = () => setView(parseView(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const update = useCallback((change: Partial<ViewState>, how: 'push' | 'replace' = 'replace') => {
    setView((prev) => {
      const next = { ...prev, ...change };
      const url = `${window.location.pathname}${viewQuery(next)}${window.location.hash}`;
      if (how === 'push') window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
      return next;
    });
  }, []);

  return [view, update];
}
