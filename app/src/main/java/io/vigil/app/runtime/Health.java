package io.vigil.app.runtime;

/**
 * What a component says about itself: {@code ready} (doing its job now), {@code alive} (not in a
 * terminal failure; a rebalance or a restart in progress is still alive) and a short detail.
 */
public record Health(boolean ready, boolean alive, String detail) {

  public static Health ready(String detail) {
    return new Health(true, true, detail);
  }

  public static Health starting(String detail) {
    return new Health(false, true, detail);
  }

  /** Alive but not doing its job now, e.g. a source that cannot reach its queue; may recover. */
  public static Health notReady(String detail) {
    return new Health(false, true, detail);
  }

  public static Health failed(String detail) {
    return new Health(false, false, detail);
  }
}
