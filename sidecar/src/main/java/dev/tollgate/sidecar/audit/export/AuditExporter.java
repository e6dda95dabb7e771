package dev.tollgate.sidecar.audit.export;

import dev.tollgate.runtime.audit.AuditExportSettings;
import dev.tollgate.runtime.audit.AuditExportSettings.Protocol;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.AuditSink;
import dev.tollgate.sidecar.audit.JsonLinesAuditSink;
import dev.tollgate.sidecar.audit.export.ExportMeter.Failure;
import dev.tollgate.sidecar.core.PodContext;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends a copy of every audit record to a receiver, in batches, from its own thread. It sits beside
 * stdout, never in front of it: {@link #offer} only appends to a bounded buffer and returns, so a
 * slow or absent receiver can neither delay a decision nor hold up the stdout record, which stays
 * the record of truth. When the buffer is full the oldest record is dropped from the export (stdout
 * has it) and counted; a batch the receiver keeps failing is retried with exponential backoff and
 * jitter, then counted undeliverable with the reason.
 */
public final class AuditExporter implements AuditSink, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(AuditExporter.class.getName());

  /**
   * How long to wait before retry {@code n}: {@code initial * 2^(n-1)}, at most {@code max}, less a
   * random part of up to half so that many sidecars do not retry in step.
   */
  public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT =
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    long millisBefore(int retry) {
      long full = Math.min(max.toMillis(), initial.toMillis() << Math.min(retry - 1, 30));
      return full - ThreadLocalRandom.current().nextLong(full / 2 + 1);
    }
  }

  /** The outcome of one attempt. */
  private record Attempt(Failure failure, int rejected, long retryAfterMillis) {
    static final Attempt DELIVERED = new Attempt(null, 0, 0);
  }

  private final AuditExportSettings settings;
  private final Map<String, String> headers;
  private final BatchEncoder encoder;
  private final ExportMeter meter;
  private final Backoff backoff;
  private final HttpClient client;
  private final ArrayDeque<byte[]> buffer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition waiting = lock.newCondition();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread sender;
  private long oldestArrival;
  private volatile boolean failing;

  /**
   * @param pod named as the OTLP resource
   * @param clock stamps OTLP's observed time
   */
  public AuditExporter(
      AuditExport export, PodContext pod, Clock clock, ExportMeter meter, Backoff backoff) {
    this.settings =
        export.settings().orElseThrow(() -> new IllegalArgumentException("no export endpoint"));
    this.headers = export.headers();
    this.encoder =
        settings.protocol() == Protocol.OTLP
            ? new OtlpLogsEncoder(pod, clock)
            : new NdjsonEncoder();
    this.meter = meter;
    this.backoff = backoff;
    this.buffer = new ArrayDeque<>(Math.min(settings.bufferSize(), 4_096));
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    export.trust().ifPresent(client::sslContext);
    this.client = client.build();
    this.sender = new Thread(this::run, "tollgate-audit-export");
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * Buffers one record, its JSON line as written to stdout (the sidecar hands over the stdout
   * writer's bytes: {@link JsonLinesAuditSink}), and returns at once; never blocks on the receiver.
   */
  public void offer(byte[] line) {
    if (closing() && !sender.isAlive()) {
      meter.undeliverable(Failure.SHUTDOWN, 1); // written after the last drain: stdout has it
      return;
    }
    boolean dropped = false;
    lock.lock();
    try {
      if (buffer.size() >= settings.bufferSize()) {
        buffer.pollFirst();
        dropped = true;
      }
      buffer.addLast(line);
      if (buffer.size() == 1) {
        oldestArrival = System.nanoTime();
        waiting.signal();
      } else if (buffer.size() == settings.batchSize()) {
        waiting.signal();
      }
    } finally {
      lock.unlock();
    }
    if (dropped) {
      meter.undeliverable(Failure.BUFFER_FULL, 1);
    }
  }

  /** Serializes the record as stdout does, then {@link #offer}s it. */
  @Override
  public void write(AuditEvent event) {
    try {
      offer(JsonLinesAuditSink.toJsonBytes(event));
    } catch (IOException e) {
      meter.undeliverable(Failure.ENCODING, 1);
    }
  }

  /**
   * Sends what is buffered, one attempt per batch, for at most about twice the request timeout (a
   * pod being stopped has a grace period to respect); what is left then is counted {@code
   * shutdown}.
   */
  @Override
  public void close() {
    closing.countDown();
    lock.lock();
    try {
      waiting.signal();
    } finally {
      lock.unlock();
    }
    try {
      sender.join(Math.min(2 * settings.timeout().toMillis(), 10_000));
      if (sender.isAlive()) {
        sender.interrupt();
        sender.join(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left;
    lock.lock();
    try {
      left = buffer.size();
      buffer.clear();
    } finally {
      lock.unlock();
    }
    if (left > 0) {
      meter.undeliverable(Failure.SHUTDOWN, left);
    }
  }

  private boolean closing() {
    return closing.getCount() == 0;
  }

  private void run() {
    for (List<byte[]> batch; (batch = nextBatch()) != null; ) {
      deliver(batch);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  /** The next batch: full, or older than the flush interval, or all that is left when closing. */
  private List<byte[]> nextBatch() {
    lock.lock();
    try {
      while (!closing() && buffer.size() < settings.batchSize()) {
        if (buffer.isEmpty()) {
          waiting.await();
        } else {
          long due = oldestArrival + settings.flushInterval().toNanos() - System.nanoTime();
          if (due <= 0) {
            break;
          }
          waiting.awaitNanos(due);
        }
      }
      if (buffer.isEmpty()) {
        return null; // closing, and nothing left
      }
      List<byte[]> batch = new ArrayList<>(Math.min(buffer.size(), settings.batchSize()));
      while (batch.size() < settings.batchSize() && !buffer.isEmpty()) {
        batch.add(buffer.pollFirst());
      }
      oldestArrival = System.nanoTime();
      return batch;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      lock.unlock();
    }
  }

  private void deliver(List<byte[]> batch) {
    byte[] body;
    try {
      body = encoder.encode(batch);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.SEVERE, "audit export: a batch could not be encoded", e);
      meter.undeliverable(Failure.ENCODING, batch.size());
      return;
    }
    HttpRequest request = request(body);
    Attempt attempt = Attempt.DELIVERED;
    for (int tries = 1; tries <= settings.maxAttempts(); tries++) {
      attempt = send(request);
      boolean retryable =
          attempt.failure() == Failure.SERVER_ERROR || attempt.failure() == Failure.UNREACHABLE;
      if (!retryable || tries == settings.maxAttempts() || closing()) {
        break;
      }
      long wait = Math.max(backoff.millisBefore(tries), attempt.retryAfterMillis());
      try {
        if (closing.await(wait, TimeUnit.MILLISECONDS)) {
          break; // stopping: the drain gets one attempt per batch, no more waits
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        meter.undeliverable(Failure.SHUTDOWN, batch.size());
        return;
      }
    }
    if (attempt.failure() == null) {
      int rejected = Math.min(attempt.rejected(), batch.size());
      meter.exported(batch.size() - rejected);
      if (rejected > 0) {
        meter.undeliverable(Failure.REJECTED, rejected);
      }
      if (failing) {
        failing = false;
        LOG.info("audit export: delivering to " + settings.endpoint() + " again");
      }
    } else {
      meter.undeliverable(attempt.failure(), batch.size());
      if (!failing) { // once per outage, not once per batch
        failing = true;
        LOG.warning(
            "audit export: "
                + batch.size()
                + " records not delivered to "
                + settings.endpoint()
                + " ("
                + attempt.failure().wireName
                + "); they are on stdout, and counted in tollgate_audit_export_failures_total");
      }
    }
  }

  private HttpRequest request(byte[] body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(settings.endpoint())
            .timeout(settings.timeout())
            .header("Content-Type", encoder.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(builder::header);
    return builder.build();
  }

  private Attempt send(HttpRequest request) {
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new Attempt(Failure.UNREACHABLE, 0, 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(Failure.SHUTDOWN, 0, 0);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Attempt(null, encoder.rejectedIn(response.body()), 0);
    }
    if (status == 429 || status >= 500) {
      return new Attempt(Failure.SERVER_ERROR, 0, retryAfterMillis(response));
    }
    return new Attempt(Failure.REJECTED, 0, 0);
  }

  /** A receiver's {@code Retry-After} in seconds, honoured up to the longest backoff. */
  private long retryAfterMillis(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(
            value -> {
              try {
                return Math.min(
                    TimeUnit.SECONDS.toMillis(Long.parseLong(value.strip())),
                    backoff.max().toMillis());
              } catch (NumberFormatException e) {
                return 0L; // an HTTP date: the backoff alone decides
              }
            })
        .orElse(0L);
  }
}
