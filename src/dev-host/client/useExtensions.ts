import { useEffect, useState } from 'react';
import type { ExtensionRegistry, ExtensionsHost } from './createExtensionsApi';

/**
 * The registry, re-read whenever an extension registers: extensions.js loads
 * deferred, after the shell mounted, as in Argo CD (which re-renders since 2.13).
 * React runs effects after paint, so extensions.js may register between the
 * first render and the subscription; comparing versions catches those.
 */
export function useExtensions(host: ExtensionsHost): ExtensionRegistry {
  const [, setVersion] = useState(host.version);
  useEffect(() => {
    const update = () => setVersion(host.version());
    const unsubscribe = host.subscribe(update);
    update();
    return unsubscribe;
  }, [host]);
  return host.registry;
}
