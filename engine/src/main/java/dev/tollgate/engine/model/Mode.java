package dev.tollgate.engine.model;

import java.util.Arrays;
import java.util.Optional;

/** Whether an identity's decisions block ({@code Enforce}) or are only recorded ({@code Audit}). */
public enum Mode {
  ENFORCE("Enforce"),
  AUDIT("Audit");

  private final String wireName;

  Mode(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Mode> fromWireName(String name) {
    return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst();
  }
}
