import type { CDEvent, EmbeddedLink } from './types';

export interface EventSpec<Content = Record<string, unknown>> {
  /** "<subject>.<predicate>", e.g. "service.deployed". */
  type: string;
  source: string;
  id?: string;
  timestamp?: string;
  subject: { id: string; source?: string; content: Content };
  chainId?: string;
  links?: EmbeddedLink[];
  customData?: Record<string, unknown>;
}

export interface BuildOptions {
  now?: () => Date;
  newId?: () => string;
}

/** STUB: the typed builder. Emits spec 0.5.1. */
export function createEvent<Content = Record<string, unknown>>(
  spec: EventSpec<Content>,
  options: BuildOptions = {},
): CDEvent<Content> {
  const now = options.now ?? (() => new Date());
  // Web Crypto exists in Node 20 and in browsers, so the model stays free of Node imports.
  const newId = options.newId ?? (() => globalThis.crypto.randomUUID());
  return {
    context: {
      specversion: '0.5.1',
      id: spec.id ?? newId(),
      source: spec.source,
      type: `dev.cdevents.${spec.type}.0.3.0`,
      timestamp: spec.timestamp ?? now().toISOString(),
      ...(spec.chainId ? { chainId: spec.chainId } : {}),
      ...(spec.links ? { links: spec.links } : {}),
    },
    subject: spec.subject,
    ...(spec.customData ? { customData: spec.customData } : {}),
  };
}
