package dev.tollgate.webhook.delegation;

import dev.tollgate.api.delegation.DelegationProof;
import dev.tollgate.engine.model.PrincipalList;
import dev.tollgate.webhook.injection.PodAnnotations;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a pod or a pod template says about delegation, before anything is proven: the user of {@code
 * tollgate.dev/on-behalf-of} (empty when none), the groups of {@code
 * tollgate.dev/on-behalf-of-groups} (absent when the annotation is), and the proof text.
 */
record Claim(String user, Optional<List<String>> groups, Optional<String> proof) {

  static Claim of(Map<String, String> annotations) {
    Map<String, String> present = annotations == null ? Map.of() : annotations;
    String user = present.getOrDefault(PodAnnotations.ON_BEHALF_OF, "").strip();
    if (user.startsWith(PrincipalList.USER_PREFIX)) {
      user = user.substring(PrincipalList.USER_PREFIX.length());
    }
    Optional<List<String>> groups =
        Optional.ofNullable(present.get(PodAnnotations.ON_BEHALF_OF_GROUPS))
            .map(
                text ->
                    Arrays.stream(text.split(","))
                        .map(String::strip)
                        .filter(group -> !group.isEmpty())
                        .distinct()
                        .toList());
    return new Claim(user, groups, Optional.ofNullable(present.get(DelegationProof.ANNOTATION)));
  }

  boolean claimsSomeone() {
    return !user.isEmpty();
  }
}
