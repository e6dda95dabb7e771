package dev.tollgate.sidecar.policy;

import java.nio.file.Path;

/**
 * Where bundle bytes came from, for the logs and for {@link BundleLoader}'s choice between them.
 *
 * @param kind the file mount or the ConfigMap read through the API
 * @param where the path, or {@code namespace/name} of the ConfigMap
 */
public record BundleSource(Kind kind, String where) {

  public enum Kind {
    FILE,
    CONFIG_MAP
  }

  public static BundleSource file(Path path) {
    return new BundleSource(Kind.FILE, path.toString());
  }

  public static BundleSource configMap(String namespace, String name) {
    return new BundleSource(Kind.CONFIG_MAP, namespace + "/" + name);
  }

  public boolean isFile() {
    return kind == Kind.FILE;
  }

  @Override
  public String toString() {
    return (isFile() ? "file " : "ConfigMap ") + where;
  }
}
