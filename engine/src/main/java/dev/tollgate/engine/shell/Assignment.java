package dev.tollgate.engine.shell;

import java.util.List;

/**
 * A variable assignment before a command or on its own ({@code a=b}, {@code a+=b}, {@code a[i]=b},
 * {@code a=(x y)}).
 *
 * @param name the variable, with its subscript as written
 * @param value the value, or null for an array assignment
 * @param array the elements of an array assignment, or null
 * @param subscript the parts of a subscript with expansions ({@code a[$(id)]=v}: they run), or null
 */
record Assignment(String name, boolean append, Word value, List<Word> array, Word subscript) {}
