package dev.tollgate.operator.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.function.Supplier;

/**
 * A status-only patch object: name, namespace and status. The status is the operator's alone, so it
 * needs no optimistic locking, and a cached resourceVersion would turn every concurrent spec change
 * into a conflict and a retry.
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
