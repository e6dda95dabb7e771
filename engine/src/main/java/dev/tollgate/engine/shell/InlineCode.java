package dev.tollgate.engine.shell;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Code handed to something that runs it ({@code python3 -c}, {@code bash -c}, {@code awk '…'},
 * {@code eval}, {@code git -c alias.x=!…}, {@code curl … | sh}). Tollgate reports it; it never
 * interprets it.
 *
 * @param program who runs it ({@code python3}, {@code sh}, {@code git -c core.pager}, {@code eval},
 *     {@code source}, {@code tar --to-command}, {@code ssh} for a remote command, {@code env
 *     LD_PRELOAD} for a variable)
 * @param code the code as far as known: after quote removal, dynamic parts as written; "" when it
 *     comes from a pipe or a file
 * @param from where the code comes from: {@code argument}, {@code here-doc}, {@code here-string},
 *     {@code pipe}, {@code file} (a sourced file, a shell script, {@code awk -f}), {@code
 *     environment} (a variable such as {@code BASH_ENV}, {@code LD_PRELOAD}, {@code
 *     GIT_SSH_COMMAND} given to the command)
 * @param file for {@code from == "file"}, the file's absolute path (or as written when dynamic),
 *     else ""
 */
public record InlineCode(String program, String code, String from, String file) {

  /** Plain map with keys program, code, from, file. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("program", program);
    map.put("code", code);
    map.put("from", from);
    map.put("file", file);
    return Collections.unmodifiableMap(map);
  }
}
