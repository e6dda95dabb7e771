package dev.tollgate.engine.bundle;

import dev.tollgate.engine.source.Problem;
import java.util.List;
import java.util.Optional;

/** The outcome of compiling one identity: a bundle, or the problems that prevent one. */
public record Compilation(Optional<Bundle> bundle, List<Problem> problems) {

  public Compilation {
    problems = List.copyOf(problems);
  }

  static Compilation of(Bundle bundle) {
    return new Compilation(Optional.of(bundle), List.of());
  }

  static Compilation failed(List<Problem> problems) {
    return new Compilation(Optional.empty(), problems);
  }

  public boolean succeeded() {
    return bundle.isPresent();
  }
}
