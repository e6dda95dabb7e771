package dev.tollgate.operator.status;

/**
 * How the operator writes status (and JOSDK its finalizers and primary-resource patches).
 *
 * <p>Server-side apply is what runs against a real API server: each status is applied whole under
 * the controller's field manager, with no resourceVersion and no diff against a cached copy, so a
 * cache that lags a previous write can no longer make a JSON patch's list index miss (the
 * ReconcileFailed loop seen with JSON patches), and conditions merge by type (the CRDs declare them
 * a list-map) instead of one writer replacing another's.
 *
 * <p>The other mode is only for Fabric8's mock API server, which does not support server-side apply
 * (fabric8io/kubernetes-client#5337): the status is written as a JSON patch computed against a copy
 * just read from the server (never against the informer's, which may lag), see {@link
 * StatusWriter}.
 */
public enum StatusWrites {
  SERVER_SIDE_APPLY,
  JSON_PATCH_FOR_MOCK_SERVER
}
