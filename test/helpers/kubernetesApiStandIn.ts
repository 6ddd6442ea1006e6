/**
 * The in-process Kubernetes API stand-in (ConfigMaps with resourceVersion and
 * 409 Conflict, Applications with merge patches, 401/403/404 as Status objects).
 * It lives in src/dev-host so `npm start` runs it too; tests import it from here.
 */
export {
  type ApiStandIn,
  type ClusterObject,
  type ClusterState,
  createClusterState,
  startKubernetesApiStandIn,
} from '../../src/dev-host/startClusterApiStandIns';
