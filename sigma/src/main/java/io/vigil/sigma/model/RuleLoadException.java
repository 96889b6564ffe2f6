package io.vigil.sigma.model;

/**
 * A rule file, or one rule in it, that could not be loaded: names the source (file path or
 * classpath resource) and the 1-based line where the problem is, when known.
 *
 * <p>The loader collects these instead of stopping at the first one, so that a directory with
 * several broken rules reports all of them at once; nothing is skipped silently.
 */
public final class RuleLoadException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String problem;

  /**
   * @param source file path or resource name
   * @param line 1-based line, or 0 when unknown
   * @param problem what is wrong, for a person to fix
   */
  public RuleLoadException(String source, int line, String problem) {
    this(source, line, problem, null);
  }

  /** As {@link #RuleLoadException(String, int, String)}, keeping the underlying cause. */
  public RuleLoadException(String source, int line, String problem, Throwable cause) {
    super(source + (line > 0 ? ":" + line : "") + ": " + problem, cause);
    this.source = source;
    this.line = line;
    this.problem = problem;
  }

  /** The file path or resource the rule came from. */
  public String source() {
    return source;
  }

  /** 1-based line of the problem, 0 when unknown. */
  public int line() {
    return line;
  }

  /** The problem without the location prefix. */
  public String problem() {
    return problem;
  }
}
