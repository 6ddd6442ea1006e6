export { DashboardPage } from './DashboardPage';
export { buildDashboardView, describeArtifact, formatDuration } from './buildDashboardView';
