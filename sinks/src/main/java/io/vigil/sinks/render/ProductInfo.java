package io.vigil.sinks.render;

/** How Vigil names itself in findings. */
final class ProductInfo {

  static final String NAME = "Vigil";
  static final String VENDOR = "Vigil";

  private ProductInfo() {}

  static String version() {
    String version = ProductInfo.class.getPackage().getImplementationVersion();
    return version != null ? version : "dev";
  }
}
