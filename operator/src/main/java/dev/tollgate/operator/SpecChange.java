package dev.tollgate.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * Update filters for secondary watches: most reconcilers here read only specs (and identity
 * labels), so an update that changed only status (the operator's own patches, mostly) is no reason
 * to reconcile anything. {@code metadata.generation} moves exactly when the spec does.
 */
public final class SpecChange {

  private SpecChange() {}

  public static boolean of(HasMetadata newer, HasMetadata older) {
    return !Objects.equals(
        newer.getMetadata().getGeneration(), older.getMetadata().getGeneration());
  }

  public static boolean ofSpecOrLabels(HasMetadata newer, HasMetadata older) {
    return of(newer, older)
        || !Objects.equals(newer.getMetadata().getLabels(), older.getMetadata().getLabels());
  }
}
