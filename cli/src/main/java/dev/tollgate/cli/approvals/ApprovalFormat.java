package dev.tollgate.cli.approvals;

import dev.tollgate.cli.ChoiceConverter;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The {@code -o} formats of the commands that print approvals, as kubectl spells them. */
enum ApprovalFormat {
  JSON,
  YAML,
  NAME;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  static final class Converter extends ChoiceConverter<ApprovalFormat> {
    Converter() {
      super(ApprovalFormat.class);
    }
  }

  /** The {@code -o} option; without it, the commands print for people. */
  static final class Choice {

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        converter = Converter.class,
        description =
            "Print ${COMPLETION-CANDIDATES} instead of the table: the objects as the API server "
                + "has them, or toolcallapproval.tollgate.dev/NAME.")
    ApprovalFormat format;
  }
}
