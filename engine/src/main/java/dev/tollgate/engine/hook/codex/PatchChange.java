package dev.tollgate.engine.hook.codex;

/**
 * One file that a Codex {@code apply_patch} touches.
 *
 * @param kind what the patch does to the file
 * @param path the file as the patch names it (relative to the working directory, or absolute)
 * @param moveTo where an update moves the file, else null
 * @param removed the lines an update removes (or a delete drops), joined with newlines
 * @param added the lines an add writes or an update adds, joined with newlines
 */
public record PatchChange(Kind kind, String path, String moveTo, String removed, String added) {

  /** The three operations of Codex's patch format. */
  public enum Kind {
    ADD,
    DELETE,
    UPDATE
  }
}
