package dev.tollgate.sidecar.events;

import dev.tollgate.sidecar.audit.AuditEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Publishes denials and approval events as {@code events.k8s.io/v1} Events on the agent's Pod, best
 * effort. {@link #accept} only offers to a bounded queue; one daemon thread folds repeats ({@link
 * SimilarEventFolder}), rate-limits ({@link TokenBucket}) and creates the Events. Every audit event
 * that no Event stands for (queue full, rate-limited, API error, shutdown) is reported to the
 * failure callback, once per audit event, and logged at most once a minute.
 */
public final class KubernetesEventPublisher implements DenialPublisher {

  static final int QUEUE_CAPACITY = 1_000;
  static final double EVENTS_PER_SECOND = 5;
  static final int BURST = 20;
  // The worker wakes this often to end fold windows and to notice close() without an interrupt,
  // which would abort an Event being created.
  private static final long POLL_MILLIS = 200;
  private static final long DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);
  // Past the drain deadline the worker only counts, so still running then means stuck on a request.
  private static final long CLOSE_WAIT_MILLIS = 1_200;
  private static final long INTERRUPTED_WAIT_MILLIS = 250;

  private final BlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final Supplier<? extends KubernetesClient> newClient;
  private final PodReference pod;
  private final PodEventFactory factory;
  private final Clock clock;
  private final Runnable onFailure;
  private final FailureLog failures;
  private final TokenBucket bucket;
  private final SimilarEventFolder folder = new SimilarEventFolder();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Thread worker;
  private volatile long drainDeadline;
  // Guarded by this: the worker creates the client, close() closes it.
  private KubernetesClient client;
  private boolean clientClosed;

  /**
   * Starts the worker. The client is obtained from {@code client} on the worker thread, at the
   * first Event, so that building it costs the sidecar's start nothing; the publisher closes it.
   *
   * @param onFailure called once per audit event that no Event will stand for; must not block
   */
  public KubernetesEventPublisher(
      Supplier<? extends KubernetesClient> client,
      PodReference pod,
      Clock clock,
      Runnable onFailure) {
    this.newClient = client;
    this.pod = pod;
    this.factory = new PodEventFactory(pod);
    this.clock = clock;
    this.onFailure = onFailure;
    this.failures = new FailureLog(clock);
    this.bucket = new TokenBucket(EVENTS_PER_SECOND, BURST, clock);
    this.worker = new Thread(this::run, "tollgate-kubernetes-events");
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public void accept(AuditEvent event) {
    try {
      if (event == null || !PodEventFactory.PUBLISHED.contains(event.type())) {
        return;
      }
      if (closing.get()) {
        failures.notPublishedBeforeShutdown(1);
        lost(1);
      } else if (!queue.offer(event)) {
        failures.queueFull();
        lost(1);
      }
    } catch (RuntimeException e) {
      // Nothing here may reach the decision path.
    }
  }

  @Override
  public void close() {
    // Set before closing, which is what makes the worker read it.
    drainDeadline = System.nanoTime() + DRAIN_NANOS;
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      worker.join(CLOSE_WAIT_MILLIS);
      if (worker.isAlive()) {
        // Stuck on the API server: abort the request so the worker counts what it still holds.
        worker.interrupt();
        worker.join(INTERRUPTED_WAIT_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = 0;
    while (queue.poll() != null) {
      left++;
    }
    if (left > 0) {
      failures.notPublishedBeforeShutdown(left);
      lost(left);
    }
    failures.report(true);
    closeClient();
  }

  private void run() {
    try {
      while (!closing.get()) {
        AuditEvent event = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        List<Publication> due =
            event == null ? folder.expire(clock.instant()) : folder.offer(event, clock.instant());
        due.forEach(this::publish);
        failures.report();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drain();
  }

  /**
   * At shutdown: what is queued and what is folded, published until the deadline, counted after it.
   */
  private void drain() {
    AuditEvent event;
    while ((event = queue.poll()) != null) {
      folder.offer(event, clock.instant()).forEach(this::publishBeforeDeadline);
    }
    folder.endAll().forEach(this::publishBeforeDeadline);
  }

  private void publishBeforeDeadline(Publication publication) {
    if (System.nanoTime() - drainDeadline > 0) {
      failures.notPublishedBeforeShutdown(publication.denials());
      lost(publication.denials());
    } else {
      publish(publication);
    }
  }

  private void publish(Publication publication) {
    if (!bucket.tryTake()) {
      failures.rateLimited(publication.denials());
      lost(publication.denials());
      return;
    }
    try {
      client()
          .events()
          .v1()
          .events()
          .inNamespace(pod.namespace())
          .resource(factory.create(publication, clock.instant()))
          .create();
    } catch (RuntimeException | LinkageError e) {
      // LinkageError too: a broken Fabric8 setup must cost Events, never the worker.
      failures.failed(publication.denials(), e);
      lost(publication.denials());
    }
  }

  private synchronized KubernetesClient client() {
    if (clientClosed) {
      throw new IllegalStateException("the publisher is closed");
    }
    if (client == null) {
      client = Objects.requireNonNull(newClient.get(), "no Kubernetes client");
    }
    return client;
  }

  private synchronized void closeClient() {
    clientClosed = true;
    if (client != null) {
      try {
        client.close();
      } catch (RuntimeException e) {
        // Shutting down anyway.
      }
    }
  }

  private void lost(int denials) {
    try {
      for (int i = 0; i < denials; i++) {
        onFailure.run();
      }
    } catch (RuntimeException e) {
      // A failing counter must not stop the worker or reach a caller.
    }
  }
}
