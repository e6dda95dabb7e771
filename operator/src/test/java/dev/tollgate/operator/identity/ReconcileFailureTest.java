package dev.tollgate.operator.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.operator.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reconcile that throws leaves its error in the status, for the generation it failed on. */
@EnableKubernetesMockClient(crud = true)
class ReconcileFailureTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  KubernetesMockServer server;
  KubernetesClient client;
  private OperatorHarness operator;

  @BeforeEach
  void start() {
    operator =
        new OperatorHarness(
            client, Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void aBundleTheApiServerRefusesLeavesReadyFalseWithTheError() {
    // As a ResourceQuota or an admission policy would: the bundle dependent throws on every
    // attempt.
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/team-a/configmaps")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Forbidden")
                .withCode(403)
                .withMessage("configmaps \"tollgate-bundle-coder\" is forbidden: exceeded quota")
                .build())
        .always();

    OperatorHarness.apply(client, AgentIdentityReconcilerTest.MANIFESTS);

    // The identity may be reconciled before its ToolScope exists (ToolScopeNotFound, no bundle to
    // publish).
    AgentIdentity identity =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    client
                        .resources(AgentIdentity.class)
                        .inNamespace("team-a")
                        .withName("coder")
                        .get(),
                i -> ready(i) != null && "ReconcileFailed".equals(ready(i).getReason()));
    Condition ready = ready(identity);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage())
        .isEqualTo(
            "reconcile failed: dependent bundle: "
                + "KubernetesClientException (403 Forbidden): "
                + "configmaps \"tollgate-bundle-coder\" is forbidden: exceeded quota");
    assertThat(ready.getObservedGeneration()).isEqualTo(identity.getMetadata().getGeneration());
    assertThat(identity.getStatus().getObservedGeneration())
        .isEqualTo(identity.getMetadata().getGeneration());
    assertThat(identity.getStatus().getBundle()).as("nothing was ever published").isNull();
    assertThat(client.configMaps().inNamespace("team-a").withName("tollgate-bundle-coder").get())
        .isNull();

    await()
        .atMost(WAIT)
        .until(
            () ->
                client.resources(Event.class).inNamespace("team-a").list().getItems().stream()
                    .anyMatch(
                        e ->
                            "ReconcileFailed".equals(e.getReason())
                                && "Warning".equals(e.getType())));
  }

  private static Condition ready(AgentIdentity identity) {
    if (identity == null
        || identity.getStatus() == null
        || identity.getStatus().getConditions() == null) {
      return null;
    }
    return identity.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
