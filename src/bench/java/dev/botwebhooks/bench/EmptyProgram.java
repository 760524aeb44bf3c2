package dev.botwebhooks.bench;

/**
 * A Java program that does nothing: the baseline {@code scripts/bench.sh} holds cold starts
 * against (a JVM's own start and exit on this machine).
 */
public final class EmptyProgram {
  private EmptyProgram() {}

  public static void main(String[] args) {}
}
