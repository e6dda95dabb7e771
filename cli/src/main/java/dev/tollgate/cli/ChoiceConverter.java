package dev.tollgate.cli;

import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an option value into the enum constant whose {@code toString()} it spells exactly, and
 * names the allowed values otherwise (picocli's own enum message lists the constants' Java names).
 * The constants' {@code toString()} values are also what picocli offers as completion candidates.
 */
public abstract class ChoiceConverter<E extends Enum<E>> implements ITypeConverter<E> {

  private final Class<E> type;

  protected ChoiceConverter(Class<E> type) {
    this.type = type;
  }

  @Override
  public E convert(String value) {
    return Arrays.stream(type.getEnumConstants())
        .filter(constant -> constant.toString().equals(value))
        .findFirst()
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "'"
                        + value
                        + "' is not one of "
                        + Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "))));
  }
}
