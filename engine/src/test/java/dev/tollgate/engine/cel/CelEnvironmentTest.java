package dev.tollgate.engine.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cel.common.types.SimpleType;
import org.junit.jupiter.api.Test;

/** The checked syntax tree other runtimes get is the one compile() runs, with the same checks. */
class CelEnvironmentTest {

  @Test
  void theAstIsTypeCheckedToABool() throws InvalidConditionException {
    assertThat(CelEnvironment.standard().ast("resource.program == 'rm'").getResultType())
        .isEqualTo(SimpleType.BOOL);
  }

  @Test
  void theAstIsRefusedExactlyWhenCompileIs() {
    for (String invalid :
        new String[] {"resource.program ==", "args.command.matches('(')", "tool"}) {
      String expected = CelEnvironment.standard().check(invalid).orElseThrow();
      assertThatThrownBy(() -> CelEnvironment.standard().ast(invalid))
          .isInstanceOf(InvalidConditionException.class)
          .hasMessage(expected);
    }
  }
}
