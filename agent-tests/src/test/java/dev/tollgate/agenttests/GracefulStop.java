package dev.tollgate.agenttests;

import java.util.concurrent.TimeUnit;

/** Stops a process as the kubelet would: SIGTERM, then SIGKILL if it is still there after 10 s. */
final class GracefulStop {

  private GracefulStop() {}

  static void of(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
