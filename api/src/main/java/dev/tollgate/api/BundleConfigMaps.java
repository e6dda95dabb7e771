package dev.tollgate.api;

/**
 * Where an identity's bundle is published: the operator writes it, the webhook mounts it into the
 * sidecar, the sidecar reads {@link #DATA_KEY}.
 */
public final class BundleConfigMaps {

  public static final String NAME_PREFIX = "tollgate-bundle-";
  public static final String DATA_KEY = "bundle.json";
  public static final String REVISION_ANNOTATION = "tollgate.dev/bundle-revision";
  public static final String IDENTITY_LABEL = "tollgate.dev/identity";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "tollgate-operator";
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

  private BundleConfigMaps() {}

  /** {@code tollgate-bundle-<identity>}. */
  public static String nameFor(String identity) {
    return NAME_PREFIX + identity;
  }
}
