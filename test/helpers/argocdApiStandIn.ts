/**
 * The in-process Argo CD API stand-in (sync with infos, rollback, refresh,
 * patch; 401/403/404 with gRPC codes), over the same cluster state as the
 * Kubernetes one. It lives in src/dev-host so `npm start` runs it too.
 */
export { startArgocdApiStandIn } from '../../src/dev-host/startClusterApiStandIns';
