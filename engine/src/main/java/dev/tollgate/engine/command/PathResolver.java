package dev.tollgate.engine.command;

/** Makes a path argument absolute the way the command will see it (cwd and home known). */
@FunctionalInterface
public interface PathResolver {

  String resolve(String path);
}
