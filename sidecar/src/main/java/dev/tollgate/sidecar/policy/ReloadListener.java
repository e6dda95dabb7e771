package dev.tollgate.sidecar.policy;

/** Told about every reload attempt (metrics and logs listen). */
public interface ReloadListener {

  void reloaded(String revision, BundleSource source);

  void reloadFailed(String reason);
}
