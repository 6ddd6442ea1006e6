import { useEffect, useState } from 'react';
import type { ExtensionRegistry, ExtensionsHost } from './createExtensionsApi';

/**
 * The registry, re-read whenever an extension registers: extensions.js loads
 * deferred, after the shell mounted, as in Argo CD (which re-renders since 2.13).
 */
export function useExtensions(host: ExtensionsHost): ExtensionRegistry {
  const [, setVersion] = useState(0);
  useEffect(() => host.subscribe(() => setVersion((v) => v + 1)), [host]);
  return host.registry;
}
