import { useCallback, useState } from 'react';

export type Theme = 'light' | 'dark';

const PREFERENCES_KEY = 'view_preferences';

// Argo CD keeps the theme in localStorage.view_preferences (JSON, theme: auto|light|dark).
function readTheme(): Theme {
  const fromQuery = new URLSearchParams(window.location.search).get('theme');
  if (fromQuery === 'dark' || fromQuery === 'light') return fromQuery;
  try {
    const prefs = JSON.parse(window.localStorage.getItem(PREFERENCES_KEY) ?? '{}') as { theme?: string };
    if (prefs.theme === 'dark' || prefs.theme === 'light') return prefs.theme;
    if (prefs.theme === 'auto' || prefs.theme === undefined) {
      return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    }
  } catch {
    // unreadable preferences: fall back to light, as Argo CD's defaults do
  }
  return 'light';
}

/** The page theme and a toggle that stores it where Argo CD does. */
export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(readTheme);
  const toggle = useCallback(() => {
    setTheme((current) => {
      const next: Theme = current === 'dark' ? 'light' : 'dark';
      try {
        const prefs = JSON.parse(window.localStorage.getItem(PREFERENCES_KEY) ?? '{}') as Record<string, unknown>;
        window.localStorage.setItem(PREFERENCES_KEY, JSON.stringify({ ...prefs, theme: next }));
      } catch {
        // storage may be unavailable (private mode); the toggle still works for this page
      }
      return next;
    });
  }, []);
  return [theme, toggle];
}
