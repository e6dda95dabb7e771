package dev.tollgate.api.v1alpha1;

public final class TollgateApi {

  public static final String GROUP = "tollgate.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Lets {@code kubectl get tollgate} list every Tollgate resource of a namespace. */
  public static final String CATEGORY = "tollgate";

  private TollgateApi() {}
}
