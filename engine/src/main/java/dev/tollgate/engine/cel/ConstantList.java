package dev.tollgate.engine.cel;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;

/**
 * An immutable list of strings whose {@code contains} is a hash lookup: the value of a list literal
 * taken out of a condition by {@link ConstantLists}. Equal to any list with the same elements in
 * the same order, as {@link List} requires.
 */
final class ConstantList extends AbstractList<String> implements RandomAccess {

  private final String[] items;
  private final Set<String> members;

  ConstantList(String[] items) {
    this.items = items.clone();
    // A HashSet, not Set.of: contains(null) must answer false, not throw.
    this.members = new HashSet<>(Arrays.asList(items));
  }

  @Override
  public String get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public boolean contains(Object value) {
    return members.contains(value);
  }
}
