import * as React from 'react';
import { createTriggersClient, type TriggersApi } from './createTriggersClient';

/** The API the Triggers panel uses; tests provide their own. */
export const TriggersApiContext = React.createContext<TriggersApi>(createTriggersClient());
