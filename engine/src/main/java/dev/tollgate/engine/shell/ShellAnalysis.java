package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a shell command line will do, as far as it can be known without running it; see {@link
 * ShellAnalyzer}.
 *
 * @param commands every simple command, in source order (a command before the substitutions in its
 *     words)
 * @param redirects every redirection of every command and compound command
 * @param inlineCode code handed to interpreters
 * @param opaque true when the command line can do things this analysis cannot see: a policy that
 *     allows should then not rely on {@code commands} being complete
 * @param opaqueReasons why it is opaque, one entry per cause
 */
public record ShellAnalysis(
    List<AnalyzedCommand> commands,
    List<AnalyzedRedirect> redirects,
    List<InlineCode> inlineCode,
    boolean opaque,
    List<String> opaqueReasons) {

  public ShellAnalysis {
    commands = List.copyOf(commands);
    redirects = List.copyOf(redirects);
    inlineCode = List.copyOf(inlineCode);
    opaqueReasons = List.copyOf(opaqueReasons);
  }

  /** The first command's name, or "" (today's {@code resource.program}). */
  public String program() {
    return commands.isEmpty() ? "" : commands.get(0).name();
  }

  /** The distinct command names in order (today's {@code resource.programs}). */
  public List<String> programs() {
    Set<String> names = new LinkedHashSet<>();
    commands.forEach(c -> names.add(c.name()));
    return List.copyOf(names);
  }

  /**
   * The fields to merge into a Bash call's {@code resource}: {@code commands}, {@code redirects},
   * {@code inlineCode} (lists of maps), {@code opaque} (boolean), {@code opaqueReasons} (list of
   * strings), {@code program} (string) and {@code programs} (list of strings). Values are plain
   * Java lists, maps, strings and booleans, ready to become CEL values. The map and everything in
   * it are unmodifiable.
   */
  public Map<String, Object> toResourceFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    List<Object> commandMaps = new ArrayList<>();
    commands.forEach(c -> commandMaps.add(c.toMap()));
    List<Object> redirectMaps = new ArrayList<>();
    redirects.forEach(r -> redirectMaps.add(r.toMap()));
    List<Object> codeMaps = new ArrayList<>();
    inlineCode.forEach(c -> codeMaps.add(c.toMap()));
    fields.put("commands", List.copyOf(commandMaps));
    fields.put("redirects", List.copyOf(redirectMaps));
    fields.put("inlineCode", List.copyOf(codeMaps));
    fields.put("opaque", opaque);
    fields.put("opaqueReasons", opaqueReasons);
    fields.put("program", program());
    fields.put("programs", programs());
    return Collections.unmodifiableMap(fields);
  }
}
