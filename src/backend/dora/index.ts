/**
 * src/backend/dora: an app's DORA figures, computed from the events the store
 * fetched for it. Pure: no database, no clock. Each figure is a value or
 * `{missing}` naming the data it lacks, never a zero standing in for "unknown".
 */
export { buildDoraFigures } from './buildDoraFigures';
export { buildDoraTrends, type DoraTrendInput } from './buildDoraTrends';
export { CHANGE_FAILURE_DEFINITION, measureChangeFailureRate } from './measureChangeFailureRate';
export { measureDeploymentFrequency } from './measureDeploymentFrequency';
export { measureLeadTime } from './measureLeadTime';
export { measureTimeToRestore } from './measureTimeToRestore';
export { pairIncidents, type IncidentPairs } from './pairIncidents';
export { computeMedian } from './computeMedian';
export { describeWindow } from './describeWindow';
export type { DoraIncident, DoraInput, DoraPublication, DoraServiceEvent, DoraWindow } from './doraInput';
