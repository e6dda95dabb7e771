package dev.tollgate.webhook.delegation;

import java.util.Optional;

/** A proven principal, or why the claim is refused (a message that names what is missing). */
public record DelegationResult(Optional<Principal> principal, String refusal) {

  static DelegationResult accepted(Principal principal) {
    return new DelegationResult(Optional.of(principal), "");
  }

  static DelegationResult refused(String why) {
    return new DelegationResult(Optional.empty(), why);
  }

  public boolean accepted() {
    return principal.isPresent();
  }
}
