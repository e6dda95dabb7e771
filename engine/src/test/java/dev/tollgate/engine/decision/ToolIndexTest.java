package dev.tollgate.engine.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolIndexTest {

  @Test
  void inventedOutOfScopeNamesAreNotKeptAndCannotCrowdOutRealOnes() {
    ToolIndex index = new ToolIndex(List.of("Read", "mcp__github__*"), List.of());
    for (int i = 0; i < 10_000; i++) {
      assertThat(index.lookup("Invented" + i).inScope).isFalse();
    }
    assertThat(index.memoised()).isZero();
    assertThat(index.lookup("Read").inScope).isTrue();
    assertThat(index.lookup("mcp__github__get_issue").inScope).isTrue();
    assertThat(index.memoised()).isEqualTo(2);
  }

  @Test
  void theMemoIsBoundedEvenForInScopeNames() {
    ToolIndex index = new ToolIndex(List.of("mcp__github__*"), List.of());
    for (int i = 0; i < 10_000; i++) {
      assertThat(index.lookup("mcp__github__tool" + i).inScope).isTrue();
    }
    assertThat(index.memoised()).isEqualTo(4_096);
  }
}
