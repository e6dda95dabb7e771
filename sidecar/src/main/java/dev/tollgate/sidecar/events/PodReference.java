package dev.tollgate.sidecar.events;

/**
 * The agent's Pod, which the Events are about.
 *
 * @param name the pod name (downward API {@code metadata.name})
 * @param namespace the pod namespace, where the Events are created
 * @param uid the pod UID (downward API {@code metadata.uid}), or empty when unknown
 */
public record PodReference(String name, String namespace, String uid) {

  public PodReference {
    name = name == null ? "" : name;
    namespace = namespace == null ? "" : namespace;
    uid = uid == null ? "" : uid;
  }
}
