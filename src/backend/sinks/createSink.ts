import { createHttpSink } from './httpSink';
import { createNatsSink } from './natsSink';
import type { Sink, SinkSettings } from './types';

/** The one place that maps a sink kind to its implementation: adding a sink kind starts here. */
export function createSink(settings: SinkSettings): Sink {
  switch (settings.kind) {
    case 'http':
      return createHttpSink(settings);
    case 'nats':
      return createNatsSink(settings);
  }
}
