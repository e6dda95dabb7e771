package dev.tollgate.runtime.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service's settings from its environment and its command line, read once at start. Every option
 * is a flag ({@code --listen}) and an environment variable ({@code TOLLGATE_LISTEN}); a flag wins.
 * Reading never stops at the first mistake: each problem is collected with the names a user would
 * look for, so one failed start reports everything that is wrong.
 */
public final class Settings {

  private final Map<String, String> flagToVariable;
  private final Map<String, String> values = new HashMap<>();
  private final List<String> problems = new ArrayList<>();

  /**
   * @param flagToVariable every known flag and the variable it overrides
   */
  public Settings(Map<String, String> env, String[] args, Map<String, String> flagToVariable) {
    this.flagToVariable = Map.copyOf(flagToVariable);
    flagToVariable
        .values()
        .forEach(
            variable -> {
              String value = env.get(variable);
              if (value != null && !value.isBlank()) {
                values.put(variable, value.strip());
              }
            });
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String variable = flagToVariable.get(flag);
      if (variable == null) {
        problems.add(
            "unknown option "
                + flag
                + " (known: "
                + String.join(", ", flagToVariable.keySet().stream().sorted().toList())
                + ")");
        if (!arg.contains("=") && i + 1 < args.length && !args[i + 1].startsWith("-")) {
          i++; // its value, so it is not reported as another option
        }
      } else if (arg.contains("=")) {
        values.put(variable, arg.substring(arg.indexOf('=') + 1));
      } else if (i + 1 < args.length) {
        values.put(variable, args[++i]);
      } else {
        problems.add(flag + " needs a value");
      }
    }
  }

  /**
   * Also accepts a variable under another name (the downward API's conventional {@code POD_NAME}).
   */
  public Settings alias(String variable, String alsoFrom, Map<String, String> env) {
    String value = env.get(alsoFrom);
    if (!values.containsKey(variable) && value != null && !value.isBlank()) {
      values.put(variable, value.strip());
    }
    return this;
  }

  public Optional<String> find(String variable) {
    return Optional.ofNullable(values.get(variable));
  }

  public String get(String variable, String fallback) {
    return values.getOrDefault(variable, fallback);
  }

  /** A whole number within bounds; a bad one is reported and {@code fallback} returned. */
  public long number(String variable, long fallback, long min, long max) {
    String text = values.get(variable);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value < min || value > max) {
        problem(variable, "must be between " + min + " and " + max + ", got " + value);
        return fallback;
      }
      return value;
    } catch (NumberFormatException e) {
      problem(variable, "must be a whole number, got '" + text + "'");
      return fallback;
    }
  }

  /** One of a fixed set of words; anything else is reported and {@code fallback} returned. */
  public String choice(String variable, String fallback, List<String> allowed) {
    String value = get(variable, fallback);
    if (!allowed.contains(value)) {
      problem(
          variable,
          "must be "
              + String.join(", ", allowed.subList(0, allowed.size() - 1))
              + " or "
              + allowed.get(allowed.size() - 1)
              + ", got '"
              + value
              + "'");
      return fallback;
    }
    return value;
  }

  /** A comma-separated list, blanks dropped. */
  public List<String> list(String variable, String fallback) {
    return Arrays.stream(get(variable, fallback).split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Reports a problem with a setting, named as {@code --flag (VARIABLE)}. */
  public void problem(String variable, String message) {
    problems.add(describe(variable) + " " + message);
  }

  /** {@code --flag (VARIABLE)}, the way every message names a setting. */
  public String describe(String variable) {
    return flagToVariable.entrySet().stream()
        .filter(entry -> entry.getValue().equals(variable))
        .map(entry -> entry.getKey() + " (" + variable + ")")
        .findFirst()
        .orElse(variable);
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }
}
