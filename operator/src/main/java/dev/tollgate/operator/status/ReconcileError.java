package dev.tollgate.operator.status;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The message of a condition a reconcile that threw leaves behind: short enough to read in {@code
 * kubectl describe}. JOSDK's workflow error and Fabric8's client error both put stack traces or the
 * whole request in their own messages, so they are taken apart here.
 */
final class ReconcileError {

  private ReconcileError() {}

  static String message(Exception error) {
    return "reconcile failed: " + describe(error);
  }

  private static String describe(Exception error) {
    // JOSDK's Micrometer metrics rethrow what a reconcile threw wrapped in an OperatorException.
    if (error instanceof OperatorException
        && !(error instanceof AggregatedOperatorException)
        && error.getCause() instanceof Exception cause
        && cause != error) {
      return describe(cause);
    }
    if (error instanceof AggregatedOperatorException aggregated
        && !aggregated.getAggregatedExceptions().isEmpty()) {
      // Sorted by dependent name, so that the same failures give the same message (and no patch).
      Map<String, Exception> byDependent = new TreeMap<>(aggregated.getAggregatedExceptions());
      return byDependent.entrySet().stream()
          .map(entry -> "dependent " + entry.getKey() + ": " + withCause(entry.getValue()))
          .collect(Collectors.joining("; "));
    }
    return withCause(error);
  }

  // The error and, when it wraps another, the root cause, which usually names what went wrong
  // (Fabric8 rethrows a copy of its own exception with the original as the cause: said once).
  private static String withCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String outer = one(error);
    String inner = one(root);
    return outer.equals(inner) ? outer : outer + " (caused by " + inner + ")";
  }

  private static String one(Throwable error) {
    String name = error.getClass().getSimpleName();
    if (error instanceof KubernetesClientException client
        && client.getStatus() != null
        && client.getStatus().getMessage() != null) {
      Status status = client.getStatus();
      return name
          + " ("
          + client.getCode()
          + (status.getReason() == null ? "" : " " + status.getReason())
          + "): "
          + status.getMessage();
    }
    String message =
        error.getMessage() == null ? "" : error.getMessage().strip().lines().findFirst().orElse("");
    return message.isEmpty() ? name : name + ": " + message;
  }
}
