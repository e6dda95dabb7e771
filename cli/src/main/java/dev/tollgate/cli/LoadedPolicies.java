package dev.tollgate.cli;

import dev.tollgate.engine.bundle.BundleCompiler;
import dev.tollgate.engine.bundle.Compilation;
import dev.tollgate.engine.bundle.InvalidBundleException;
import dev.tollgate.engine.decision.PolicyEngine;
import dev.tollgate.engine.model.IdentityDefinition;
import dev.tollgate.engine.model.PolicySet;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The manifests named by {@code -f}, parsed and checked, with every problem located in its file.
 */
final class LoadedPolicies {

  private final List<ManifestLoader.Document> documents;
  private final PolicySet set;
  private final List<Problem> readProblems;

  private LoadedPolicies(
      List<ManifestLoader.Document> documents, PolicySet set, List<Problem> readProblems) {
    this.documents = documents;
    this.set = set;
    this.readProblems = readProblems;
  }

  static LoadedPolicies of(
      List<ManifestLoader.Document> documents, List<Problem> readProblems, String namespace) {
    return new LoadedPolicies(
        List.copyOf(documents),
        PolicySet.fromDocuments(documents, namespace),
        List.copyOf(readProblems));
  }

  PolicySet set() {
    return set;
  }

  List<ManifestLoader.Document> documents() {
    return documents;
  }

  /** Every problem: files, objects, and what compiling each identity's bundle finds. */
  List<Problem> problems() {
    Set<Problem> all = new LinkedHashSet<>(readProblems);
    all.addAll(set.problems());
    for (IdentityDefinition identity : set.identities()) {
      all.addAll(new BundleCompiler().compile(set, identity.ref()).problems());
    }
    return List.copyOf(all);
  }

  /**
   * The bundle the operator would publish for one identity. Unlike the operator, which sees only
   * well-formed objects, this also fails on any unreadable file or rejected document: it may have
   * held a Deny rule for this identity.
   */
  Compilation compile(ObjectRef identity) {
    if (set.identity(identity).isEmpty()) {
      return new Compilation(Optional.empty(), List.of(identityNotFound(identity)));
    }
    Compilation compilation = new BundleCompiler().compile(set, identity);
    if (readProblems.isEmpty() && set.documentProblems().isEmpty() && compilation.succeeded()) {
      return compilation;
    }
    Set<Problem> problems = new LinkedHashSet<>(readProblems);
    problems.addAll(set.documentProblems());
    problems.addAll(compilation.problems());
    return new Compilation(Optional.empty(), List.copyOf(problems));
  }

  /**
   * The engine that decides as the identity's sidecar would, from its compiled bundle.
   *
   * @throws InvalidInputException naming every problem when the bundle does not compile
   */
  PolicyEngine engine(ObjectRef identity) {
    Compilation compilation = compile(identity);
    if (!compilation.succeeded()) {
      throw new InvalidInputException(compilation.problems());
    }
    try {
      return PolicyEngine.load(compilation.bundle().orElseThrow());
    } catch (InvalidBundleException e) {
      throw new IllegalStateException("the compiled bundle does not load: " + e.getMessage(), e);
    }
  }

  Problem identityNotFound(ObjectRef identity) {
    List<String> known = set.identities().stream().map(i -> i.ref().key()).toList();
    return new Problem(
        ProblemCode.MISSING_REFERENCE,
        "",
        identity.toString(),
        "",
        "AgentIdentity "
            + identity.key()
            + " not found in the given manifests"
            + (known.isEmpty()
                ? " (they define no AgentIdentity)"
                : " (found: " + String.join(", ", known) + ")"));
  }
}
