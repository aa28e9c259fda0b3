package dev.larder.server;

import java.nio.file.Path;

/**
 * A server in a child JVM for process tests: {@code ServerMain <dir> [maxItemSize]}. Prints {@code
 * READY <port>} when listening; SIGTERM stops it gracefully through a shutdown hook, which prints
 * {@code STOPPED} when the cache is closed.
 */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    LarderServer.Builder b = LarderServer.builder(Path.of(args[0])).port(0).threads(4).ioThreads(2);
    if (args.length > 1) {
      b.maxItemSize(Integer.parseInt(args[1]));
    }
    LarderServer server = b.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      System.out.println("STOPPED");
      System.out.flush();
    }));
    System.out.println("READY " + server.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
