package dev.tollgate.operator.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.function.Supplier;

/**
 * A status-only object: apiVersion, kind, name, namespace and status, nothing else. On a real API
 * server JOSDK sends it as a server-side apply of {@code /status} under the controller's field
 * manager ({@link StatusWrites}): it holds exactly the fields the operator owns, and no
 * resourceVersion, since a cached one would turn every concurrent spec change into a conflict and a
 * retry.
 */
public final class StatusPatch {

  private StatusPatch() {}

  public static <S, R extends CustomResource<?, S>> R of(R resource, S status, Supplier<R> empty) {
    R patch = empty.get();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
