package dev.tollgate.engine.shell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simple command of a shell command line, wherever it occurs (pipelines, lists, compound
 * commands, function bodies, substitutions, here-document bodies, {@code sh -c} strings, {@code
 * find -exec}, after wrappers).
 *
 * @param name the program's base name after quote removal ({@code git} for {@code /usr/bin/"git"})
 * @param path the program as written after quote removal ({@code /usr/bin/git})
 * @param args the arguments after quote and escape removal and brace expansion; dynamic parts as
 *     written
 * @param assignments {@code NAME=value} assignments for this command (before it, or given to {@code
 *     env}/{@code sudo})
 * @param redirects this command's redirections
 * @param via the wrappers and contexts it was reached through, outermost first: {@code sudo},
 *     {@code env}, {@code sh -c}, {@code $()}, {@code xargs}, {@code find -exec}, {@code function
 *     f}…
 * @param dynamic true when its name or any argument is only known at run time
 * @param cwd the working directory it runs in, absolute; "" when unknown (after {@code cd $DIR})
 */
public record AnalyzedCommand(
    String name,
    String path,
    List<String> args,
    List<String> assignments,
    List<AnalyzedRedirect> redirects,
    List<String> via,
    boolean dynamic,
    String cwd) {

  public AnalyzedCommand {
    args = List.copyOf(args);
    assignments = List.copyOf(assignments);
    redirects = List.copyOf(redirects);
    via = List.copyOf(via);
  }

  /** Plain map with keys name, path, args, assignments, redirects, via, dynamic, cwd. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", name);
    map.put("path", path);
    map.put("args", args);
    map.put("assignments", assignments);
    List<Object> redirectMaps = new ArrayList<>();
    redirects.forEach(r -> redirectMaps.add(r.toMap()));
    map.put("redirects", List.copyOf(redirectMaps));
    map.put("via", via);
    map.put("dynamic", dynamic);
    map.put("cwd", cwd);
    return Collections.unmodifiableMap(map);
  }
}
