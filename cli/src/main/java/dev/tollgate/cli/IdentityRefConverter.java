package dev.tollgate.cli;

import dev.tollgate.engine.source.Kind;
import dev.tollgate.engine.source.ObjectRef;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code NAMESPACE/NAME} into the AgentIdentity it names. */
final class IdentityRefConverter implements ITypeConverter<ObjectRef> {

  @Override
  public ObjectRef convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** Also used for {@code spec.identity} of test files. */
  static ObjectRef parse(String value) {
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1 || value.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "'" + value + "' must be NAMESPACE/NAME of an AgentIdentity, e.g. agents/repo-coder");
    }
    return new ObjectRef(
        Kind.AGENT_IDENTITY, value.substring(0, slash), value.substring(slash + 1));
  }
}
