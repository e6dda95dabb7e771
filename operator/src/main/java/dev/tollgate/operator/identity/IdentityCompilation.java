package dev.tollgate.operator.identity;

import dev.tollgate.engine.bundle.Bundle;
import dev.tollgate.engine.bundle.BundleCodec;
import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.SourceObject;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of compiling one identity in one reconcile, shared by the dependents (which publish
 * it) and the status (which reports it), so it is computed once.
 *
 * @param identityProblems problems of the identity object itself (spec errors, missing scopes)
 * @param otherProblems problems of the scopes and policies it depends on
 * @param policies the policies that apply to it ({@code namespace/name})
 * @param bundleJson the canonical bundle document, when compilation succeeded
 */
public record IdentityCompilation(
    ObjectRef identity,
    Optional<Bundle> bundle,
    Optional<String> bundleJson,
    List<Problem> identityProblems,
    List<Problem> otherProblems,
    List<String> policies) {

  /** Compiles an identity against every scope and policy of its namespace. */
  public static IdentityCompilation compile(
      ObjectRef identity, Collection<SourceObject> namespaceObjects) {
    PolicySet set = PolicySet.of(namespaceObjects);
    Compilation compilation = new BundleCompiler().compile(set, identity);
    List<Problem> own =
        compilation.problems().stream()
            .filter(p -> p.object().equals(identity.toString()))
            .toList();
    List<Problem> others =
        compilation.problems().stream()
            .filter(p -> !p.object().equals(identity.toString()))
            .toList();
    List<String> policies =
        set.identity(identity)
            .map(
                definition -> set.policiesFor(definition).stream().map(p -> p.ref().key()).toList())
            .orElse(List.of());
    return new IdentityCompilation(
        identity,
        compilation.bundle(),
        compilation.bundle().map(BundleCodec::toJson),
        own,
        others,
        policies);
  }

  public boolean succeeded() {
    return bundle.isPresent();
  }
}
