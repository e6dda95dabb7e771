package dev.tollgate.engine.bundle;

/** A bundle document that cannot be used; a decision point keeps its last good bundle. */
public final class InvalidBundleException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidBundleException(String message) {
    super(message);
  }
}
