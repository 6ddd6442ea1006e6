import { useCallback, useEffect, useState } from 'react';

export interface HostLocation {
  pathname: string;
  params: URLSearchParams;
}

/** The root path the page is served under ("" or "/argocd"), from <base href> as Argo CD's UI reads it. */
function readBasePath(): string {
  return new URL(document.baseURI).pathname.replace(/\/$/, '');
}

function readLocation(): HostLocation {
  const base = readBasePath();
  const path = window.location.pathname;
  const pathname = base && path.startsWith(base) ? path.slice(base.length) || '/' : path;
  return { pathname, params: new URLSearchParams(window.location.search) };
}

/**
 * The current path (below the root path) and query, and a navigate function
 * that keeps `react=16` (the host's React line is chosen at page load, so a
 * reload must keep it).
 * Uses only hooks React 16.14 has.
 */
export function useLocation(): [HostLocation, (path: string, params?: Record<string, string | undefined>) => void] {
  const [location, setLocation] = useState(readLocation);
  useEffect(() => {
    const onPop = () => setLocation(readLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((path: string, params: Record<string, string | undefined> = {}) => {
    const next = new URLSearchParams();
    const react = new URLSearchParams(window.location.search).get('react');
    if (react) next.set('react', react);
    for (const [key, value] of Object.entries(params)) if (value !== undefined) next.set(key, value);
    const query = next.toString();
    window.history.pushState(null, '', `${readBasePath()}${path}${query ? `?${query}` : ''}`);
    setLocation(readLocation());
  }, []);
  return [location, navigate];
}
