package dev.tollgate.operator.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.function.Supplier;

/**
 * Writes the status a reconciler computed, as {@link StatusWrites} says: on a real API server JOSDK
 * applies it (server-side apply of a {@link StatusPatch}); on the mock server it is written here,
 * as a JSON patch against the object read afresh, and JOSDK is told there is nothing to update.
 * JOSDK's own JSON patch is computed against its cached copy, and when that lags a previous write
 * the patch's list indexes miss.
 */
public final class StatusWriter {

  private final StatusWrites writes;

  public StatusWriter(StatusWrites writes) {
    this.writes = writes;
  }

  public <S, R extends CustomResource<?, S>> UpdateControl<R> write(
      R resource, S status, Supplier<R> empty, Context<R> context) {
    if (writes == StatusWrites.SERVER_SIDE_APPLY) {
      return UpdateControl.patchStatus(StatusPatch.of(resource, status, empty));
    }
    patchFresh(resource, status, context);
    return UpdateControl.noUpdate();
  }

  /** The same after a reconcile threw; JOSDK's retry continues either way. */
  public <S, R extends CustomResource<?, S>> ErrorStatusUpdateControl<R> writeAfterError(
      R resource, S status, Supplier<R> empty, Context<R> context) {
    if (writes == StatusWrites.SERVER_SIDE_APPLY) {
      return ErrorStatusUpdateControl.patchStatus(StatusPatch.of(resource, status, empty));
    }
    patchFresh(resource, status, context);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  @SuppressWarnings("unchecked")
  private static <S, R extends CustomResource<?, S>> void patchFresh(
      R resource, S status, Context<R> context) {
    context
        .getClient()
        .resources((Class<R>) resource.getClass())
        .inNamespace(resource.getMetadata().getNamespace())
        .withName(resource.getMetadata().getName())
        .editStatus(
            current -> {
              current.setStatus(status);
              return current;
            });
  }
}
