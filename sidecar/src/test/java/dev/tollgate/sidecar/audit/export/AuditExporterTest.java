package dev.tollgate.sidecar.audit.export;

import static dev.tollgate.sidecar.audit.export.ExportEvents.events;
import static dev.tollgate.sidecar.audit.export.ExportEvents.export;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.runtime.audit.AuditExportSettings.Protocol;
import dev.tollgate.sidecar.audit.AuditEvent;
import dev.tollgate.sidecar.audit.JsonLinesAuditSink;
import dev.tollgate.sidecar.audit.QueuedAuditSink;
import dev.tollgate.sidecar.audit.export.AuditExporter.Backoff;
import dev.tollgate.sidecar.audit.export.ExportMeter.Failure;
import dev.tollgate.sidecar.audit.export.Receiver.Answer;
import dev.tollgate.sidecar.core.PodContext;
import dev.tollgate.sidecar.metrics.SidecarMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditExporterTest {

  private static final PodContext POD =
      new PodContext("agent-7", "team-a", "alice", List.of(), "/home/agent");
  private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100));

  private final CountingMeter meter = new CountingMeter();
  private final Receiver receiver;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  AuditExporterTest() throws IOException {
    receiver = new Receiver();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
    receiver.close();
  }

  private AuditExporter exporter(AuditExport export) {
    AuditExporter exporter = new AuditExporter(export, POD, Clock.systemUTC(), meter, QUICK);
    toClose.add(0, exporter);
    return exporter;
  }

  private AuditExporter http(int batch, int buffer, int attempts) {
    return exporter(
        export(
            receiver.uri("/audit"),
            Protocol.HTTP,
            batch,
            Duration.ofMillis(200),
            buffer,
            Duration.ofSeconds(2),
            attempts,
            Map.of("Authorization", "Bearer t0ken", "X-Tenant", "team-a")));
  }

  private static List<String> lines(Receiver.Request request) {
    return Arrays.asList(request.text().split("\n"));
  }

  private static String json(AuditEvent event) {
    try {
      return JsonLinesAuditSink.toJson(event);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void jsonLinesArriveCompleteInOrderAndBatched() {
    AuditExporter exporter = http(4, 100, 3);
    List<AuditEvent> events = events(10);
    events.forEach(exporter::write);

    await().atMost(Duration.ofSeconds(5)).until(() -> meter.sent.get() == 10);
    assertThat(receiver.requests)
        .extracting(request -> lines(request).size())
        .containsExactly(4, 4, 2);
    assertThat(receiver.requests.stream().flatMap(request -> lines(request).stream()))
        .containsExactlyElementsOf(events.stream().map(AuditExporterTest::json).toList());
    assertThat(receiver.requests)
        .allSatisfy(
            request -> {
              assertThat(request.path()).isEqualTo("/audit");
              assertThat(request.contentType()).isEqualTo("application/x-ndjson");
              assertThat(request.text()).endsWith("\n");
              assertThat(request.headers().get("Authorization")).containsExactly("Bearer t0ken");
              assertThat(request.headers().get("X-tenant")).containsExactly("team-a");
            });
    assertThat(meter.failedInAll()).isZero();
  }

  @Test
  void aPartialBatchGoesOutAfterTheFlushInterval() {
    AuditExporter exporter = http(100, 1_000, 3);
    long start = System.nanoTime();
    events(3).forEach(exporter::write);

    await().atMost(Duration.ofSeconds(5)).until(() -> meter.sent.get() == 3);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(receiver.requests).hasSize(1);
  }

  @Test
  void serverErrorsAndTooManyRequestsAreRetriedUntilDelivered() {
    receiver.answering(Answer.of(503), new Answer(429, "0", ""), Answer.of(500), Answer.of(200));
    AuditExporter exporter = http(5, 100, 5);
    events(5).forEach(exporter::write);

    await().atMost(Duration.ofSeconds(5)).until(() -> meter.sent.get() == 5);
    assertThat(receiver.requests).hasSize(4);
    assertThat(receiver.requests)
        .extracting(Receiver.Request::text)
        .containsOnly(receiver.requests.get(0).text());
    assertThat(meter.failedInAll()).isZero();
  }

  @Test
  void aReceiverFailingEveryAttemptIsCountedAsServerErrorAfterTheLastAttempt() throws Exception {
    receiver.answering(Answer.of(502));
    AuditExporter exporter = http(5, 100, 3);
    events(5).forEach(exporter::write);

    await().atMost(Duration.ofSeconds(5)).until(() -> meter.failed(Failure.SERVER_ERROR) == 5);
    Thread.sleep(300); // longer than any backoff: no fourth attempt comes
    assertThat(receiver.requests).hasSize(3);
    assertThat(meter.sent.get()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 413, 301})
  void aRefusalIsNotRetriedAndIsCountedRejected(int status) throws Exception {
    receiver.answering(Answer.of(status));
    AuditExporter exporter = http(5, 100, 5);
    events(5).forEach(exporter::write);

    await().atMost(Duration.ofSeconds(5)).until(() -> meter.failed(Failure.REJECTED) == 5);
    Thread.sleep(300);
    assertThat(receiver.requests).hasSize(1);
    assertThat(meter.sent.get()).isZero();
  }

  @Test
  void aReceiverThatDropsConnectionsIsRetriedThenCountedUnreachable() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket broken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!broken.isClosed()) {
                  try (Socket socket = broken.accept()) {
                    connections.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      acceptor.start();
      AuditExporter exporter =
          exporter(
              export(
                  URI.create("http://127.0.0.1:" + broken.getLocalPort() + "/audit"),
                  Protocol.HTTP,
                  5,
                  Duration.ofMillis(50),
                  100,
                  Duration.ofSeconds(2),
                  3,
                  Map.of()));
      events(5).forEach(exporter::write);

      await().atMost(Duration.ofSeconds(10)).until(() -> meter.failed(Failure.UNREACHABLE) == 5);
      assertThat(connections.get()).isEqualTo(3);
    }
  }

  @Test
  void aReceiverThatIsDownIsCountedUnreachable() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    AuditExporter exporter =
        exporter(
            export(
                URI.create("http://127.0.0.1:" + port + "/audit"),
                Protocol.HTTP,
                2,
                Duration.ofMillis(50),
                100,
                Duration.ofSeconds(2),
                3,
                Map.of()));
    events(6).forEach(exporter::write);

    await().atMost(Duration.ofSeconds(10)).until(() -> meter.failed(Failure.UNREACHABLE) == 6);
    assertThat(meter.sent.get()).isZero();
  }

  @Test
  void aFullBufferDropsTheOldestFromTheExportOnlyAndCountsThem() throws Exception {
    CountDownLatch firstRequest = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    receiver.before(
        () -> {
          firstRequest.countDown();
          waitFor(release);
        });
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    AuditExporter exporter = http(5, 5, 3);
    JsonLinesAuditSink audit =
        new JsonLinesAuditSink(
            stdout,
            e -> {
              throw new AssertionError(e);
            },
            exporter::offer);
    List<AuditEvent> events = events(20);
    events.subList(0, 5).forEach(audit::write);
    assertThat(firstRequest.await(5, TimeUnit.SECONDS)).isTrue();
    events.subList(5, 20).forEach(audit::write); // 5 fit in the buffer, the 10 oldest are dropped
    audit.flush();
    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> meter.sent.get() == 10);
    assertThat(meter.failed(Failure.BUFFER_FULL)).isEqualTo(10);
    List<String> exported =
        receiver.requests.stream().flatMap(request -> lines(request).stream()).toList();
    List<AuditEvent> kept = new ArrayList<>(events.subList(0, 5));
    kept.addAll(events.subList(15, 20));
    assertThat(exported)
        .containsExactlyElementsOf(kept.stream().map(AuditExporterTest::json).toList());
    assertThat(stdout.toString(StandardCharsets.UTF_8).split("\n"))
        .containsExactlyElementsOf(events.stream().map(AuditExporterTest::json).toList());
  }

  @Test
  void aReceiverThatHangsNeverDelaysTheAuditPathOfADecision() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    receiver.before(() -> waitFor(release));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    AuditExporter exporter = http(100, 1_000, 3);
    AtomicInteger backpressure = new AtomicInteger();
    // The production chain: decisions hand events to the queue, whose writer writes stdout and
    // hands each line to the export.
    QueuedAuditSink audit =
        new QueuedAuditSink(
            new JsonLinesAuditSink(
                stdout,
                e -> {
                  throw new AssertionError(e);
                },
                exporter::offer),
            2_048,
            backpressure::incrementAndGet);
    List<AuditEvent> events = events(20_000);
    long slowest = 0;
    long start = System.nanoTime();
    for (AuditEvent event : events) {
      long before = System.nanoTime();
      audit.write(event);
      slowest = Math.max(slowest, System.nanoTime() - before);
    }
    audit.flush(); // every event is on stdout while the receiver still hangs
    long total = System.nanoTime() - start;

    assertThat(stdout.toString(StandardCharsets.UTF_8).split("\n")).hasSize(20_000);
    assertThat(receiver.requests).hasSize(1); // the first batch, still unanswered
    assertThat(Duration.ofNanos(total)).isLessThan(Duration.ofSeconds(3));
    assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(500));
    assertThat(meter.failed(Failure.BUFFER_FULL)).isEqualTo(20_000 - 100 - 1_000);
    release.countDown();
    audit.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> meter.sent.get() == 1_100);
  }

  @Test
  void closingSendsWhatIsBuffered() {
    AuditExporter exporter =
        exporter(
            export(
                receiver.uri("/audit"),
                Protocol.HTTP,
                100,
                Duration.ofMinutes(10),
                1_000,
                Duration.ofSeconds(2),
                3,
                Map.of()));
    events(3).forEach(exporter::write);
    assertThat(receiver.requests).isEmpty();

    exporter.close();

    assertThat(meter.sent.get()).isEqualTo(3);
    assertThat(receiver.requests).hasSize(1);
  }

  @Test
  void closingWithAReceiverThatHangsReturnsInBoundedTimeAndCountsEverything() {
    CountDownLatch never = new CountDownLatch(1);
    receiver.before(() -> waitFor(never));
    AuditExporter exporter =
        exporter(
            export(
                receiver.uri("/audit"),
                Protocol.HTTP,
                10,
                Duration.ofMillis(50),
                1_000,
                Duration.ofMillis(300),
                3,
                Map.of()));
    events(35).forEach(exporter::write);
    long start = System.nanoTime();

    exporter.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(meter.sent.get()).isZero();
    assertThat(meter.failedInAll()).isEqualTo(35);
    never.countDown();
  }

  @Test
  void theSidecarMetricsCountSentAndUndeliveredRecordsByReason() {
    SidecarMetrics metrics = new SidecarMetrics();
    metrics.exported(7);
    metrics.undeliverable(Failure.BUFFER_FULL, 3);
    metrics.undeliverable(Failure.REJECTED, 2);

    assertThat(metrics.scrape())
        .contains("tollgate_audit_export_sent_total 7.0")
        .contains("tollgate_audit_export_failures_total{reason=\"buffer_full\"} 3.0")
        .contains("tollgate_audit_export_failures_total{reason=\"rejected\"} 2.0")
        .contains("tollgate_audit_export_failures_total{reason=\"unreachable\"} 0.0");
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
