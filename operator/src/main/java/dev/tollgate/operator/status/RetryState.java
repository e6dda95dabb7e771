package dev.tollgate.operator.status;

import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Whether JOSDK will run a failed reconcile again, read in {@code updateErrorStatus}. */
public final class RetryState {

  private RetryState() {}

  /**
   * JOSDK passes no retry information on a first failure; every Tollgate controller keeps JOSDK's
   * default retry, so a first failure is retried.
   */
  public static boolean willRetry(Context<?> context) {
    return context.getRetryInfo().map(info -> !info.isLastAttempt()).orElse(true);
  }
}
