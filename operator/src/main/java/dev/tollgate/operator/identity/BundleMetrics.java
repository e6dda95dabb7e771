package dev.tollgate.operator.identity;

/** Told the size of every bundle compiled (a metric records it). */
@FunctionalInterface
public interface BundleMetrics {

  void bundleCompiled(int bytes);
}
