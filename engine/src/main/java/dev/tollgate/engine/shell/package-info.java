/**
 * What a Bash command line runs, for policies over the {@code Bash} tool.
 *
 * <p>{@link dev.tollgate.engine.shell.ShellAnalyzer#analyze(String, String, String)} is the one
 * entry point. It parses the command line with a hand-written recursive-descent parser of the Bash
 * language (ScriptParser for lists, pipelines and simple commands, CompoundParser for compound
 * commands and functions, WordReader for words and expansions, HereDocReader for here-document
 * bodies, AssignmentReader for assignments), then walks the AST (ShellAnalyzer,
 * SimpleCommandAnalyzer): expanding what is known before run time (WordExpander, BraceExpander,
 * AnsiCDecoder), looking through wrappers (CommandWrappers), parsing {@code sh -c} strings again,
 * and reporting code handed to interpreters (InlineCodeFinder, SedScript).
 *
 * <p>The parser never throws anything but its own ShellSyntaxException, which the analyzer turns
 * into an opaque result; its work is bounded by the budgets in SourceCursor.Budget and
 * ShellAnalyzer. The differential test (ShellDifferentialTest) holds it to Bash's and mvdan.cc/sh's
 * verdicts over a corpus.
 */
package dev.tollgate.engine.shell;
