package dev.tollgate.engine.decision;

/** The three decisions, with the value every wire uses. */
public enum Outcome {
  ALLOW("allow"),
  DENY("deny"),
  APPROVAL_REQUIRED("approval_required");

  private final String wireName;

  Outcome(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Outcome fromWireName(String name) {
    for (Outcome outcome : values()) {
      if (outcome.wireName.equals(name)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException(
        "unknown decision '" + name + "' (expected allow, deny or approval_required)");
  }
}
