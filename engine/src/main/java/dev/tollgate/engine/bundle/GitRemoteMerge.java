package dev.tollgate.engine.bundle;

import dev.tollgate.engine.model.GitRemoteDefinition;
import dev.tollgate.engine.model.IdentityDefinition;
import dev.tollgate.engine.model.ScopeDefinition;
import dev.tollgate.engine.source.Problem;
import dev.tollgate.engine.source.ProblemCode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Merges the git remotes of an identity's ToolScopes into the bundle's list, sorted by name. A
 * remote named in several scopes must be defined identically in each: the gateway serves one
 * upstream per name and maps one name per upstream URL, so two definitions could not both hold, and
 * picking one would silently change what the other scope's author meant.
 */
final class GitRemoteMerge {

  private GitRemoteMerge() {}

  static List<Bundle.GitRemote> merge(
      List<ScopeDefinition> scopes,
      IdentityDefinition identity,
      String origin,
      List<Problem> problems) {
    Map<String, Bundle.GitRemote> byName = new TreeMap<>();
    Map<String, Bundle.GitRemote> byUrl = new TreeMap<>();
    for (ScopeDefinition scope : scopes) {
      for (GitRemoteDefinition remote : scope.gitRemotes()) {
        Bundle.SecretRef secret =
            remote.credentials() == null
                ? null
                : new Bundle.SecretRef(remote.credentials().name(), remote.credentials().key());
        Bundle.GitRemote candidate =
            new Bundle.GitRemote(
                remote.name(), remote.url(), secret, scope.ref().key(), remote.caBundle());
        Bundle.GitRemote sameName = byName.get(remote.name());
        Bundle.GitRemote sameUrl = byUrl.get(remote.url());
        if (sameName != null) {
          if (!sameName.url().equals(candidate.url())
              || !Objects.equals(sameName.credentialsSecretRef(), secret)
              || !Objects.equals(sameName.caBundle(), candidate.caBundle())) {
            problems.add(
                conflict(
                    origin,
                    identity,
                    "git remote '"
                        + remote.name()
                        + "' is defined differently in ToolScopes "
                        + sameName.scope()
                        + " and "
                        + scope.ref().key()));
          }
          continue;
        }
        if (sameUrl != null) {
          problems.add(
              conflict(
                  origin,
                  identity,
                  "repository "
                      + remote.url()
                      + " is git remote '"
                      + sameUrl.name()
                      + "' in ToolScope "
                      + sameUrl.scope()
                      + " and '"
                      + remote.name()
                      + "' in ToolScope "
                      + scope.ref().key()
                      + ": one name per repository"));
          continue;
        }
        byName.put(remote.name(), candidate);
        byUrl.put(remote.url(), candidate);
      }
    }
    return List.copyOf(byName.values());
  }

  private static Problem conflict(String origin, IdentityDefinition identity, String message) {
    return new Problem(
        ProblemCode.CONFLICTING_DEFINITIONS,
        origin,
        identity.ref().toString(),
        "spec.toolScopes",
        message);
  }
}
