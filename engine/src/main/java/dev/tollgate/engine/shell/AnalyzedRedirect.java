package dev.tollgate.engine.shell;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A redirection as a policy sees it.
 *
 * @param op the operator ({@code >}, {@code >>}, {@code <}, {@code &>}, {@code <<}, {@code <<<},
 *     {@code >&}…)
 * @param fd the descriptor written before the operator ({@code 2}, {@code {fd}}), or ""
 * @param target for a file, its absolute normalized path; for a descriptor duplication, the
 *     descriptor as written ({@code 1}, {@code -}); for a here-document or here-string, ""
 * @param dynamic true when the target is only known at run time (expansion, glob, unknown working
 *     directory)
 */
public record AnalyzedRedirect(String op, String fd, String target, boolean dynamic) {

  /** Plain map with keys op, fd, target, dynamic. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("op", op);
    map.put("fd", fd);
    map.put("target", target);
    map.put("dynamic", dynamic);
    return Collections.unmodifiableMap(map);
  }
}
