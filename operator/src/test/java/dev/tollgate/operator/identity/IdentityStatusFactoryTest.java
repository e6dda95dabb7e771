package dev.tollgate.operator.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentIdentityStatus;
import dev.tollgate.api.v1alpha1.BundleRef;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The identity's status after a reconcile that threw. */
class IdentityStatusFactoryTest {

  private static final Condition ACCEPTED =
      condition("Accepted", "True", "SpecValid", "2026-11-23T09:00:00Z");

  @Test
  void aFailedReconcileMakesReadyFalseForTheCurrentGenerationAndKeepsTheRest() {
    AgentIdentity identity = identity(2L, publishedStatus());

    AgentIdentityStatus status =
        factoryAt("2026-11-23T10:00:00Z")
            .failed(
                identity,
                new IllegalStateException(
                    "informer not synced", new IOException("connection reset")));

    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    assertThat(status.getConditions()).hasSize(2);
    assertThat(status.getConditions().get(0))
        .as("learned nothing about the spec")
        .isEqualTo(ACCEPTED);
    Condition ready = status.getConditions().get(1);
    assertThat(ready.getType()).isEqualTo("Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("ReconcileFailed");
    assertThat(ready.getMessage())
        .isEqualTo(
            "reconcile failed: IllegalStateException: "
                + "informer not synced (caused by IOException: connection reset)");
    assertThat(ready.getObservedGeneration()).isEqualTo(2L);
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
    assertThat(status.getBundle()).isEqualTo(new BundleRef("tollgate-bundle-coder", "r1"));
    assertThat(status.getPolicies()).containsExactly("team-a/shell");
    assertThat(status.getPendingApprovals()).isEqualTo(3);
  }

  @Test
  void aFailureThatPersistsKeepsItsTransitionTimeAndNeedsNoNewPatch() {
    Exception error = new IllegalStateException("informer not synced");
    AgentIdentityStatus first =
        factoryAt("2026-11-23T10:00:00Z").failed(identity(2L, publishedStatus()), error);

    AgentIdentityStatus again =
        factoryAt("2026-11-23T10:05:00Z").failed(identity(2L, first), error);

    assertThat(again.getConditions().get(1).getLastTransitionTime())
        .isEqualTo("2026-11-23T10:00:00Z");
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aRefusedDependentIsNamedWithTheApiServersMessageAlone() {
    KubernetesClientException refused =
        new KubernetesClientException(
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("configmaps \"tollgate-bundle-coder\" is forbidden")
                .build());
    AggregatedOperatorException error =
        new AggregatedOperatorException(
            "Exception(s) during workflow execution.", Map.of("bundle", refused.copyAsCause()));

    AgentIdentityStatus status =
        factoryAt("2026-11-23T10:00:00Z").failed(identity(1L, null), error);

    assertThat(status.getConditions())
        .singleElement()
        .satisfies(
            ready -> {
              assertThat(ready.getType()).isEqualTo("Ready");
              assertThat(ready.getMessage())
                  .isEqualTo(
                      "reconcile failed: dependent bundle: "
                          + "KubernetesClientException (403 Forbidden): configmaps \"tollgate-bundle-coder\" is forbidden");
            });
  }

  private static IdentityStatusFactory factoryAt(String now) {
    return new IdentityStatusFactory(Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
  }

  private static AgentIdentity identity(long generation, AgentIdentityStatus status) {
    AgentIdentity identity = new AgentIdentity();
    identity.setMetadata(
        new ObjectMetaBuilder()
            .withName("coder")
            .withNamespace("team-a")
            .withGeneration(generation)
            .build());
    identity.setStatus(status);
    return identity;
  }

  private static AgentIdentityStatus publishedStatus() {
    AgentIdentityStatus status = new AgentIdentityStatus();
    status.setObservedGeneration(1L);
    status.setConditions(
        List.of(ACCEPTED, condition("Ready", "True", "BundlePublished", "2026-11-23T09:00:00Z")));
    status.setBundle(new BundleRef("tollgate-bundle-coder", "r1"));
    status.setPolicies(List.of("team-a/shell"));
    status.setPendingApprovals(3);
    return status;
  }

  private static Condition condition(String type, String status, String reason, String since) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("earlier")
        .withObservedGeneration(1L)
        .withLastTransitionTime(since)
        .build();
  }
}
