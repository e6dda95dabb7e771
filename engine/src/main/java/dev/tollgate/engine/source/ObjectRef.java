package dev.tollgate.engine.source;

import java.util.Comparator;
import java.util.Objects;

/** Names one object: {@code Kind/namespace/name}, the form every message and rule id uses. */
public record ObjectRef(Kind kind, String namespace, String name) implements Comparable<ObjectRef> {

  private static final Comparator<ObjectRef> ORDER =
      Comparator.comparing(ObjectRef::kind)
          .thenComparing(ObjectRef::namespace)
          .thenComparing(ObjectRef::name);

  public ObjectRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** {@code namespace/name}, the key used inside bundles and status fields. */
  public String key() {
    return namespace + "/" + name;
  }

  @Override
  public int compareTo(ObjectRef other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return kind.wireName() + "/" + namespace + "/" + name;
  }
}
