package dev.tollgate.engine.hook.codex;

import dev.tollgate.engine.hook.BadHookInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Codex's {@code apply_patch}: recognizing it in a shell command, and reading which files the patch
 * touches. Codex runs {@code apply_patch <<'EOF' … EOF} itself (not through the shell), so what
 * decides the call is the files, not the command. Only the exact forms Codex intercepts are
 * recognized: a command with anything more (a second command, a pipe) stays a shell command, and
 * the shell parser sees {@code apply_patch} as the program it is.
 */
public final class ApplyPatch {

  /**
   * {@code [cd DIR &&] apply_patch <<['"]TAG['"]\n BODY \nTAG}: DIR a plain or quoted word, nothing
   * after the terminator but blank space.
   */
  private static final Pattern HEREDOC =
      Pattern.compile(
          "\\A\\s*(?:cd\\s+(?:'([^']*)'|\"([^\"$`\\\\]*)\"|([A-Za-z0-9_@%+=:,./-]+))\\s*&&\\s*)?"
              + "(?:apply_patch|applypatch)\\s*<<-?\\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\\4[ \\t]*\\n"
              + "(.*?)\\n[ \\t]*\\5[ \\t]*\\n?\\s*\\z",
          Pattern.DOTALL);

  private static final Pattern BEGIN = Pattern.compile("\\*\\*\\* Begin Patch\\s*");
  private static final Pattern END = Pattern.compile("\\*\\*\\* End Patch\\s*");
  private static final Pattern FILE_HEADER =
      Pattern.compile("\\*\\*\\* (Add|Delete|Update) File: (.+?)\\s*");
  private static final Pattern MOVE = Pattern.compile("\\*\\*\\* Move to: (.+?)\\s*");

  /** A patch and the directory its paths are relative to (null: the working directory). */
  public record Invocation(String directory, String patch) {}

  private ApplyPatch() {}

  /** The patch a shell command applies, when the whole command is one apply_patch heredoc. */
  public static Optional<Invocation> inCommand(String command) {
    Matcher m = HEREDOC.matcher(command);
    if (!m.matches()) {
      return Optional.empty();
    }
    String dir = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
    return Optional.of(new Invocation(dir, m.group(6)));
  }

  /** The patch of an argv {@code [apply_patch, PATCH]}. */
  public static Optional<Invocation> inArgv(List<String> argv) {
    if (argv.size() == 2
        && (argv.get(0).equals("apply_patch") || argv.get(0).equals("applypatch"))) {
      return Optional.of(new Invocation(null, argv.get(1)));
    }
    return Optional.empty();
  }

  /** The files a patch touches, in order; a patch Codex would not accept is refused. */
  public static List<PatchChange> changes(String patch) throws BadHookInputException {
    List<String> lines = new ArrayList<>(List.of(patch.strip().split("\r?\n", -1)));
    if (lines.size() < 2
        || !BEGIN.matcher(lines.get(0)).matches()
        || !END.matcher(lines.get(lines.size() - 1)).matches()) {
      throw new BadHookInputException(
          "apply_patch input must start with '*** Begin Patch' and end with '*** End Patch'");
    }
    List<PatchChange> changes = new ArrayList<>();
    int i = 1;
    int last = lines.size() - 1;
    while (i < last) {
      Matcher header = FILE_HEADER.matcher(lines.get(i));
      if (!header.matches()) {
        throw new BadHookInputException(
            "apply_patch line " + (i + 1) + " is not a file header: '" + lines.get(i) + "'");
      }
      String kind = header.group(1);
      String path = header.group(2);
      i++;
      String moveTo = null;
      if (kind.equals("Update") && i < last) {
        Matcher move = MOVE.matcher(lines.get(i));
        if (move.matches()) {
          moveTo = move.group(1);
          i++;
        }
      }
      StringBuilder removed = new StringBuilder();
      StringBuilder added = new StringBuilder();
      while (i < last && !FILE_HEADER.matcher(lines.get(i)).matches()) {
        String line = lines.get(i);
        if (line.startsWith("+")) {
          append(added, line.substring(1));
        } else if (line.startsWith("-") && kind.equals("Update")) {
          append(removed, line.substring(1));
        } else if (kind.equals("Add")) {
          throw new BadHookInputException(
              "apply_patch: every line of an added file must start with '+' (" + path + ")");
        }
        i++;
      }
      changes.add(
          new PatchChange(
              PatchChange.Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
              path,
              moveTo,
              removed.toString(),
              added.toString()));
    }
    if (changes.isEmpty()) {
      throw new BadHookInputException("apply_patch input names no file");
    }
    return changes;
  }

  private static void append(StringBuilder text, String line) {
    if (text.length() > 0) {
      text.append('\n');
    }
    text.append(line);
  }
}
