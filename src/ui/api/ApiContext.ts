import * as React from 'react';
import { createCDEventsClient } from './createCDEventsClient';
import type { CDEventsApi } from './types';

/** The API the tab's hooks use. The default talks HTTP through Argo CD; tests provide their own. */
export const ApiContext = React.createContext<CDEventsApi>(createCDEventsClient());
