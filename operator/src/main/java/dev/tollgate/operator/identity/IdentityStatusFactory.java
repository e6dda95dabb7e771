package dev.tollgate.operator.identity;

import dev.tollgate.api.BundleConfigMaps;
import dev.tollgate.api.v1alpha1.AgentIdentity;
import dev.tollgate.api.v1alpha1.AgentIdentityStatus;
import dev.tollgate.api.v1alpha1.BundleRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import dev.tollgate.operator.status.Conditions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The identity's status from this reconcile's compilation. {@code Accepted}: the identity's own
 * spec is valid and its scopes exist. {@code Ready}: the bundle for the current spec, scopes and
 * policies is published. A spec, scope or policy that does not compile makes it {@code Stalled}
 * (only an edit helps); on failure the previously published bundle is named, since it stays in
 * force.
 */
public final class IdentityStatusFactory {

  public static final String ACCEPTED = "Accepted";
  public static final String READY = Conditions.READY;

  private final Clock clock;

  public IdentityStatusFactory(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param publishedRevision the revision the bundle ConfigMap holds now, if there is one
   */
  public AgentIdentityStatus build(
      AgentIdentity identity,
      IdentityCompilation compilation,
      Optional<String> publishedRevision,
      Integer pendingApprovals) {
    AgentIdentityStatus previous =
        identity.getStatus() == null ? new AgentIdentityStatus() : identity.getStatus();
    long generation =
        identity.getMetadata().getGeneration() == null ? 0 : identity.getMetadata().getGeneration();
    Conditions conditions = new Conditions(previous.getConditions(), generation, clock.instant());

    List<Problem> own = compilation.identityProblems();
    if (own.isEmpty()) {
      conditions.set(
          ACCEPTED, true, "SpecValid", "the spec is valid and every ToolScope it names exists");
    } else {
      conditions.set(ACCEPTED, false, ownReason(own), describe(own));
    }

    String configMap = BundleConfigMaps.nameFor(identity.getMetadata().getName());
    BundleRef bundle =
        publishedRevision.map(revision -> new BundleRef(configMap, revision)).orElse(null);
    if (compilation.succeeded()) {
      String revision = compilation.bundle().orElseThrow().revision();
      conditions.ready(
          "BundlePublished",
          "bundle revision "
              + revision
              + " is published in ConfigMap "
              + bundle.getConfigMap()
              + " ("
              + compilation.policies().size()
              + " policies)");
    } else {
      List<Problem> problems = own.isEmpty() ? compilation.otherProblems() : own;
      String kept =
          bundle == null
              ? "; no bundle is published, so the identity's sidecars deny every call"
              : "; the last good bundle (revision " + bundle.getRevision() + ") stays published";
      conditions.stalled(
          own.isEmpty() ? dependencyReason(problems) : ownReason(own), describe(problems) + kept);
    }

    AgentIdentityStatus status = new AgentIdentityStatus();
    status.setObservedGeneration(generation);
    status.setConditions(conditions.build());
    status.setBundle(bundle);
    status.setPolicies(compilation.policies());
    status.setPendingApprovals(pendingApprovals);
    return status;
  }

  /**
   * The status after a reconcile threw: {@code Ready} is False and names the error, for the current
   * generation, with {@code Reconciling} while JOSDK will retry and {@code Stalled} after its last
   * retry; what the previous status said about the spec and the published bundle is kept, since
   * this reconcile learned nothing new about either.
   */
  public AgentIdentityStatus failed(AgentIdentity identity, Exception error, boolean willRetry) {
    AgentIdentityStatus previous =
        identity.getStatus() == null ? new AgentIdentityStatus() : identity.getStatus();
    long generation =
        identity.getMetadata().getGeneration() == null ? 0 : identity.getMetadata().getGeneration();
    Conditions conditions =
        new Conditions(previous.getConditions(), generation, clock.instant())
            .keep(ACCEPTED)
            .reconcileFailed(error, willRetry);

    AgentIdentityStatus status = new AgentIdentityStatus();
    status.setObservedGeneration(generation);
    status.setConditions(conditions.build());
    status.setBundle(previous.getBundle());
    status.setPolicies(previous.getPolicies());
    status.setPendingApprovals(previous.getPendingApprovals());
    return status;
  }

  private static String ownReason(List<Problem> problems) {
    boolean missingScope =
        problems.stream()
            .anyMatch(
                p ->
                    p.field().startsWith("spec.toolScopes")
                        && p.code() == ProblemCode.MISSING_REFERENCE);
    return missingScope ? "ToolScopeNotFound" : "InvalidSpec";
  }

  private static String dependencyReason(List<Problem> problems) {
    boolean policy = problems.stream().anyMatch(p -> p.object().startsWith("ToolPolicy/"));
    return policy ? "InvalidToolPolicy" : "InvalidToolScope";
  }

  private static String describe(List<Problem> problems) {
    return problems.stream()
        .map(
            p ->
                (p.object().isEmpty() ? "" : p.object() + ": ")
                    + (p.field().isEmpty() ? "" : p.field() + ": ")
                    + p.message())
        .distinct()
        .collect(Collectors.joining("; "));
  }
}
