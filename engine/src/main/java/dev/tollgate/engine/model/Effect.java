package dev.tollgate.engine.model;

import java.util.Arrays;
import java.util.Optional;

/** What a matching rule does. Deny beats RequireApproval beats Allow. */
public enum Effect {
  DENY("Deny"),
  REQUIRE_APPROVAL("RequireApproval"),
  ALLOW("Allow");

  private final String wireName;

  Effect(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Effect> fromWireName(String name) {
    return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
  }

  /**
   * Fail closed: a condition that cannot be evaluated counts as a match only where that restricts.
   */
  public boolean matchesOnConditionError() {
    return this != ALLOW;
  }
}
