package dev.tollgate.engine.shell;

import java.util.List;

/**
 * A parsed list of commands: the whole input, a substitution's body or a compound command's body.
 */
record Script(List<ShellNode> items) {

  Script {
    items = List.copyOf(items);
  }
}
