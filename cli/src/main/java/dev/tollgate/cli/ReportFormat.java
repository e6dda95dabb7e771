package dev.tollgate.cli;

import java.util.Locale;
import picocli.CommandLine.Option;

/** How {@code test} and {@code validate} report: for people, for programs, or for CI systems. */
enum ReportFormat {
  TEXT,
  JSON,
  JUNIT;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  static final class Converter extends ChoiceConverter<ReportFormat> {
    Converter() {
      super(ReportFormat.class);
    }
  }

  /** The {@code -o} option of the commands that report. */
  static final class Choice {

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "text",
        converter = Converter.class,
        description = {
          "Report format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). json and junit "
              + "(JUnit XML for GitLab, Jenkins, GitHub) go to stdout; problems are also printed "
              + "on stderr."
        })
    ReportFormat format = TEXT;
  }
}
