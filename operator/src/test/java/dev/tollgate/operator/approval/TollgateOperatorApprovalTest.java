package dev.tollgate.operator.approval;

import static dev.tollgate.operator.approval.ApprovalLifecycleTest.approval;
import static dev.tollgate.operator.approval.ApprovalLifecycleTest.expired;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.v1alpha1.ApprovalPhase;
import dev.tollgate.api.v1alpha1.ToolCallApproval;
import dev.tollgate.operator.OperatorHarness;
import dev.tollgate.testsupport.MutableClock;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The approval reconciler as the whole operator runs it. */
@EnableKubernetesMockClient(crud = true)
class TollgateOperatorApprovalTest {

  private static final Duration WAIT = Duration.ofSeconds(8);
  private static final Pattern RECONCILES_DONE =
      Pattern.compile(
          "operator_sdk_controllers_execution_reconcile_seconds_count\\{[^}]*controller=\"toolcallapproval\"[^}]*} (\\S+)");

  KubernetesClient client;
  KubernetesMockServer server;
  private OperatorHarness operator;

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void anUnchangedStatusIsNotPatchedAgain() throws InterruptedException {
    MutableClock clock = new MutableClock(Instant.now());
    operator = new OperatorHarness(client, clock);
    String expiresAt = Instant.now().plus(Duration.ofHours(1)).toString();
    OperatorHarness.apply(client, approval("a1", expiresAt, "Approved"));
    ToolCallApproval approved = awaitApproval(a -> a.getStatus() != null);
    assertThat(approved.getStatus().getPhase()).isEqualTo(ApprovalPhase.APPROVED);
    assertThat(expired(approved).getReason()).isEqualTo("Decided");
    long events = client.resources(Event.class).inNamespace("team-a").list().getItems().size();

    // A restarted operator reconciles every approval again, later by its clock.
    operator.close();
    requestsSoFar();
    clock.advance(Duration.ofMinutes(10));
    operator = new OperatorHarness(client, clock);
    await().atMost(WAIT).until(() -> reconcilesDone(operator) >= 1);

    // The API server would accept an identical status without a new resourceVersion, so look at
    // the requests themselves: the approval was read, never written.
    assertThat(requestsSoFar())
        .filteredOn(r -> r.contains("/toolcallapprovals"))
        .isNotEmpty()
        .allMatch(r -> r.startsWith("GET "));

    ToolCallApproval after =
        client.resources(ToolCallApproval.class).inNamespace("team-a").withName("a1").get();
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(approved.getMetadata().getResourceVersion());
    assertThat(after.getStatus()).isEqualTo(approved.getStatus());
    assertThat(client.resources(Event.class).inNamespace("team-a").list().getItems())
        .hasSize((int) events);
  }

  private ToolCallApproval awaitApproval(Predicate<ToolCallApproval> condition) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                client.resources(ToolCallApproval.class).inNamespace("team-a").withName("a1").get(),
            a -> a != null && condition.test(a));
  }

  private List<String> requestsSoFar() throws InterruptedException {
    List<String> requests = new ArrayList<>();
    for (RecordedRequest request = server.takeRequest(10, TimeUnit.MILLISECONDS);
        request != null;
        request = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
      requests.add(request.getMethod() + " " + request.getPath());
    }
    return requests;
  }

  private static double reconcilesDone(OperatorHarness operator) {
    Matcher matcher = RECONCILES_DONE.matcher(operator.metrics().scrape());
    double done = 0;
    while (matcher.find()) {
      done += Double.parseDouble(matcher.group(1));
    }
    return done;
  }
}
