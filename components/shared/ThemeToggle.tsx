'use client';
/** Light, dark, or as the system says (the default); remembered in this browser. */
import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const KEY = 'windowpane-theme';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>('system');
  useEffect(() => {
    const saved = window.localStorage.getItem(KEY);
    // The server cannot know the saved theme: it is read once mounted.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- read once mounted
    if (saved === 'light' || saved === 'dark') setTheme(saved);
  }, []);
  const choose = (next: Theme) => {
    setTheme(next);
    if (next === 'system') {
      window.localStorage.removeItem(KEY);
      delete document.documentElement.dataset.theme;
    } else {
      window.localStorage.setItem(KEY, next);
      document.documentElement.dataset.theme = next;
    }
  };
  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={() => choose(NEXT[theme])}
      data-testid="theme-toggle"
      aria-label={`Theme: ${theme}. Switch to ${NEXT[theme]}`}
    >
      Theme: {theme}
    </button>
  );
}

/** Runs before the page paints, so a saved theme does not flash the other one first. */
export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem('${KEY}');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`;
