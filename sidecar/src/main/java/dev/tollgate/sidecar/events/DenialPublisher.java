package dev.tollgate.sidecar.events;

import dev.tollgate.sidecar.audit.AuditEvent;
import java.util.function.Consumer;

/**
 * Told of each denial and approval event; {@link #accept} never blocks and never throws, so it can
 * sit on the decision path.
 */
public interface DenialPublisher extends Consumer<AuditEvent>, AutoCloseable {

  /** Stops publishing; returns within about two seconds. */
  @Override
  void close();

  /** Publishes nothing (Kubernetes Events off, or not in a cluster). */
  static DenialPublisher none() {
    return NoDenialPublisher.INSTANCE;
  }

  /** The publisher that does nothing. */
  enum NoDenialPublisher implements DenialPublisher {
    INSTANCE;

    @Override
    public void accept(AuditEvent event) {}

    @Override
    public void close() {}
  }
}
