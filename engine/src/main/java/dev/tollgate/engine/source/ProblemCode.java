package dev.tollgate.engine.source;

/**
 * What kind of thing is wrong, for programs: a status factory chooses its condition reason from the
 * code, never from a {@link Problem}'s message, which is English for humans and may be reworded.
 */
public enum ProblemCode {
  /** A file or stream could not be read, does not exist, or is not YAML. */
  UNREADABLE_SOURCE,
  /** A document is not an object the engine can identify: its apiVersion, kind or metadata. */
  INVALID_OBJECT,
  /** A field is missing, unknown, of the wrong type, or holds a value its format refuses. */
  INVALID_FIELD,
  /** Two documents define the same object. */
  DUPLICATE_OBJECT,
  /** An object names another that does not exist: an identity's ToolScope, an AgentIdentity. */
  MISSING_REFERENCE,
  /** Objects that are fine alone contradict each other, such as one MCP server defined two ways. */
  CONFLICTING_DEFINITIONS,
  /** A RequireApproval rule that nobody could approve. */
  NO_APPROVER,
  /** Input that is not a manifest at all: a command-line argument, an empty selection of tests. */
  INVALID_INPUT
}
