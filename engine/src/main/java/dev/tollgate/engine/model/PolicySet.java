package dev.tollgate.engine.model;

import dev.tollgate.engine.cel.CelEnvironment;
import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ManifestLoader;
import dev.tollgate.engine.source.ManifestParser;
import dev.tollgate.engine.source.ObjectRef;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import dev.tollgate.engine.source.SourceObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every identity, scope and policy known at one moment (a folder for the CLI, the informer caches
 * for the operator), parsed and checked, with each problem attached to its object so a caller can
 * tell which identities a broken object affects.
 */
public final class PolicySet {

  private final SortedMap<ObjectRef, IdentityDefinition> identities;
  private final SortedMap<ObjectRef, ScopeDefinition> scopes;
  private final SortedMap<ObjectRef, PolicyDefinition> policies;
  private final Map<ObjectRef, List<Problem>> objectProblems;
  private final List<Problem> otherProblems;
  private final Map<ObjectRef, String> origins;
  private final List<Problem> referenceProblems;

  private PolicySet(
      SortedMap<ObjectRef, IdentityDefinition> identities,
      SortedMap<ObjectRef, ScopeDefinition> scopes,
      SortedMap<ObjectRef, PolicyDefinition> policies,
      Map<ObjectRef, List<Problem>> objectProblems,
      List<Problem> otherProblems,
      Map<ObjectRef, String> origins,
      List<Problem> referenceProblems) {
    this.identities = identities;
    this.scopes = scopes;
    this.policies = policies;
    this.objectProblems = objectProblems;
    this.otherProblems = otherProblems;
    this.origins = origins;
    this.referenceProblems = referenceProblems;
  }

  /** Parses raw documents (from files), keeping problems of documents that are not objects. */
  public static PolicySet fromDocuments(
      List<ManifestLoader.Document> documents, String defaultNamespace) {
    ManifestParser parser = new ManifestParser(defaultNamespace);
    List<SourceObject> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (var document : documents) {
      ManifestParser.Outcome outcome = parser.parse(document.node(), document.origin());
      if (outcome instanceof ManifestParser.Parsed parsed) {
        objects.add(parsed.object());
      } else if (outcome instanceof ManifestParser.Rejected rejected) {
        problems.add(rejected.problem());
      }
    }
    return of(objects, problems);
  }

  public static PolicySet of(Collection<SourceObject> objects) {
    return of(objects, List.of());
  }

  private static PolicySet of(Collection<SourceObject> objects, List<Problem> earlier) {
    DefinitionParser parser = new DefinitionParser(CelEnvironment.standard());
    SortedMap<ObjectRef, IdentityDefinition> identities = new TreeMap<>();
    SortedMap<ObjectRef, ScopeDefinition> scopes = new TreeMap<>();
    SortedMap<ObjectRef, PolicyDefinition> policies = new TreeMap<>();
    Map<ObjectRef, List<Problem>> problems = new HashMap<>();
    Map<ObjectRef, String> origins = new HashMap<>();
    for (SourceObject object : objects) {
      ObjectRef ref = object.ref();
      List<Problem> list = problems.computeIfAbsent(ref, r -> new ArrayList<>());
      String firstOrigin = origins.putIfAbsent(ref, object.origin());
      if (firstOrigin != null) {
        list.add(
            Problem.of(
                ProblemCode.DUPLICATE_OBJECT,
                object,
                "metadata.name",
                "defined twice (first in " + firstOrigin + ")"));
        continue;
      }
      switch (ref.kind()) {
        case AGENT_IDENTITY -> identities.put(ref, parser.identity(object, list));
        case TOOL_SCOPE -> scopes.put(ref, parser.scope(object, list));
        case TOOL_POLICY -> policies.put(ref, parser.policy(object, list));
        case TOOL_CALL_APPROVAL -> {}
      }
    }
    List<Problem> references = new ArrayList<>();
    for (IdentityDefinition identity : identities.values()) {
      for (int i = 0; i < identity.toolScopes().size(); i++) {
        String scope = identity.toolScopes().get(i);
        ObjectRef scopeRef = new ObjectRef(Kind.TOOL_SCOPE, identity.ref().namespace(), scope);
        if (!scopes.containsKey(scopeRef)) {
          Problem missing =
              new Problem(
                  ProblemCode.MISSING_REFERENCE,
                  origins.get(identity.ref()),
                  identity.ref().toString(),
                  "spec.toolScopes[" + i + "].name",
                  "ToolScope " + scopeRef.key() + " does not exist");
          problems.get(identity.ref()).add(missing);
          references.add(missing);
        }
      }
    }
    problems.values().removeIf(List::isEmpty);
    problems.replaceAll((ref, list) -> List.copyOf(list));
    return new PolicySet(
        identities,
        scopes,
        policies,
        Map.copyOf(problems),
        List.copyOf(earlier),
        Map.copyOf(origins),
        List.copyOf(references));
  }

  /**
   * The problems of one object on its own, without looking for the objects it names: what an
   * admission webhook can check, since GitOps tools apply objects in any order.
   */
  public static List<Problem> problemsAlone(SourceObject object) {
    PolicySet set = of(List.of(object));
    return set.problemsOf(object.ref()).stream()
        .filter(problem -> !set.referenceProblems.contains(problem))
        .toList();
  }

  public Optional<IdentityDefinition> identity(ObjectRef ref) {
    return Optional.ofNullable(identities.get(ref));
  }

  public Optional<ScopeDefinition> scope(ObjectRef ref) {
    return Optional.ofNullable(scopes.get(ref));
  }

  public Collection<IdentityDefinition> identities() {
    return identities.values();
  }

  public Collection<ScopeDefinition> scopes() {
    return scopes.values();
  }

  public Collection<PolicyDefinition> policies() {
    return policies.values();
  }

  /** Policies that apply to an identity, in a stable order (namespace, then name). */
  public List<PolicyDefinition> policiesFor(IdentityDefinition identity) {
    return policies.values().stream().filter(p -> p.appliesTo(identity)).toList();
  }

  /** Identities a policy applies to. */
  public List<IdentityDefinition> identitiesFor(PolicyDefinition policy) {
    return identities.values().stream().filter(policy::appliesTo).toList();
  }

  /** Where an object came from (a file, {@code admission}, ...), or empty when unknown. */
  public String origin(ObjectRef ref) {
    return origins.getOrDefault(ref, "");
  }

  /** Problems of one object (empty when it is fine). */
  public List<Problem> problemsOf(ObjectRef ref) {
    return objectProblems.getOrDefault(ref, List.of());
  }

  /**
   * Problems of documents that could not be read as objects at all (unknown kinds, missing names).
   */
  public List<Problem> documentProblems() {
    return otherProblems;
  }

  /** Every problem, in a stable order: file-level ones first, then per object. */
  public List<Problem> problems() {
    List<Problem> all = new ArrayList<>(otherProblems);
    objectProblems.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(entry -> all.addAll(entry.getValue()));
    return List.copyOf(all);
  }

  public boolean isValid() {
    return otherProblems.isEmpty() && objectProblems.isEmpty();
  }
}
