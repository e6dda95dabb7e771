package dev.tollgate.operator.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentIdentityStatus;
import dev.tollgate.api.v1alpha1.BundleRef;
import dev.tollgate.api.v1alpha1.ToolPolicy;
import dev.tollgate.api.v1alpha1.ToolScope;
import dev.tollgate.engine.source.SourceObject;
import dev.tollgate.operator.SourceObjects;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The identity's status: Ready, and kstatus's Reconciling and Stalled, after a compilation that
 * succeeded, one that found the spec or a dependency invalid, and a reconcile that threw.
 */
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
                    "informer not synced", new IOException("connection reset")),
                true);

    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Accepted", "Ready", "Reconciling");
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
    Condition reconciling = status.getConditions().get(2);
    assertThat(reconciling.getStatus()).as("kstatus: in progress").isEqualTo("True");
    assertThat(reconciling.getReason()).isEqualTo("RetryingAfterError");
    assertThat(reconciling.getMessage()).startsWith(ready.getMessage()).endsWith("with backoff");
    assertThat(reconciling.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void afterTheLastRetryTheIdentityIsStalledNotReconciling() {
    AgentIdentityStatus status =
        factoryAt("2026-11-23T10:00:00Z")
            .failed(identity(2L, publishedStatus()), new IllegalStateException("boom"), false);

    assertThat(status.getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Accepted", "True", "SpecValid"),
            tuple("Ready", "False", "ReconcileFailed"),
            tuple("Stalled", "True", "ReconcileFailed"));
  }

  @Test
  void aPublishedBundleIsReadyWithNeitherReconcilingNorStalled() {
    AgentIdentityStatus failing =
        factoryAt("2026-11-23T10:00:00Z")
            .failed(identity(3L, publishedStatus()), new IllegalStateException("boom"), true);
    AgentIdentity identity = identity(3L, failing);

    IdentityCompilation compilation = compile(identity, scope("base"));
    String revision = compilation.bundle().orElseThrow().revision();

    AgentIdentityStatus status =
        factoryAt("2026-11-23T10:01:00Z").build(identity, compilation, Optional.of(revision), 0);

    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Accepted", "True", "SpecValid"), tuple("Ready", "True", "BundlePublished"));
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));
    assertThat(status.getConditions().get(1).getLastTransitionTime())
        .as("Ready moved from False to True")
        .isEqualTo("2026-11-23T10:01:00Z");
  }

  @Test
  void aMissingScopeStallsTheIdentityUntilSomeoneAddsIt() {
    AgentIdentity identity = identity(4L, publishedStatus());

    AgentIdentityStatus status =
        factoryAt("2026-11-23T10:00:00Z").build(identity, compile(identity), Optional.of("r1"), 0);

    assertThat(status.getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Accepted", "False", "ToolScopeNotFound"),
            tuple("Ready", "False", "ToolScopeNotFound"),
            tuple("Stalled", "True", "ToolScopeNotFound"));
    assertThat(status.getConditions().get(2).getMessage())
        .isEqualTo(status.getConditions().get(1).getMessage())
        .contains("base")
        .contains("the last good bundle (revision r1) stays published");
    assertThat(status.getBundle()).isEqualTo(new BundleRef("tollgate-bundle-coder", "r1"));
  }

  @Test
  void anInvalidPolicyStallsTheIdentityWithTheDependencysReason() {
    AgentIdentity identity = identity(1L, null);
    ToolPolicy policy =
        Serialization.unmarshal(
            """
            apiVersion: tollgate.dev/v1alpha1
            kind: ToolPolicy
            metadata: {name: shell, namespace: team-a}
            spec:
              agents: {names: [coder]}
              rules: [{name: shell, tools: [Bash], effect: Allow, when: "args.x +"}]
            """,
            ToolPolicy.class);

    AgentIdentityStatus status =
        factoryAt("2026-11-23T10:00:00Z")
            .build(identity, compile(identity, scope("base"), policy), Optional.empty(), 0);

    assertThat(status.getConditions())
        .extracting(Condition::getType, Condition::getStatus, Condition::getReason)
        .containsExactly(
            tuple("Accepted", "True", "SpecValid"),
            tuple("Ready", "False", "InvalidToolPolicy"),
            tuple("Stalled", "True", "InvalidToolPolicy"));
    assertThat(status.getConditions().get(1).getMessage())
        .contains("no bundle is published, so the identity's sidecars deny every call");
  }

  @Test
  void aFailureThatPersistsKeepsItsTransitionTimeAndNeedsNoNewPatch() {
    Exception error = new IllegalStateException("informer not synced");
    AgentIdentityStatus first =
        factoryAt("2026-11-23T10:00:00Z").failed(identity(2L, publishedStatus()), error, true);

    AgentIdentityStatus again =
        factoryAt("2026-11-23T10:05:00Z").failed(identity(2L, first), error, true);

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
        factoryAt("2026-11-23T10:00:00Z").failed(identity(1L, null), error, true);

    assertThat(status.getConditions())
        .first()
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
    AgentIdentity identity =
        Serialization.unmarshal(
            """
            apiVersion: tollgate.dev/v1alpha1
            kind: AgentIdentity
            metadata: {name: coder, namespace: team-a}
            spec: {serviceAccountName: coder, toolScopes: [{name: base}]}
            """,
            AgentIdentity.class);
    identity.getMetadata().setGeneration(generation);
    identity.setStatus(status);
    return identity;
  }

  private static ToolScope scope(String name) {
    ToolScope scope =
        Serialization.unmarshal(
            """
            apiVersion: tollgate.dev/v1alpha1
            kind: ToolScope
            metadata: {name: %s, namespace: team-a}
            spec: {tools: [Read, Bash]}
            """
                .formatted(name),
            ToolScope.class);
    return scope;
  }

  private static IdentityCompilation compile(
      AgentIdentity identity, CustomResource<?, ?>... others) {
    List<SourceObject> objects = new ArrayList<>();
    objects.add(SourceObjects.of(identity));
    for (CustomResource<?, ?> other : others) {
      objects.add(SourceObjects.of(other));
    }
    return IdentityCompilation.compile(SourceObjects.refOf(identity), objects);
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
