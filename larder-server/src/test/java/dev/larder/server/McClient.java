package dev.larder.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw memcached text connection for tests: sends bytes as written, reads replies line by line or
 * by exact length, so tests assert the server's exact bytes. Not thread-safe.
 */
final class McClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  McClient(int port) {
    try {
      socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(30_000);
      socket.setTcpNoDelay(true);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  McClient send(String s) {
    return send(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  McClient send(byte[] b) {
    try {
      out.write(b);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one line, without its CRLF; null at end of stream. */
  String line() {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          byte[] a = b.toByteArray();
          int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
          return new String(a, 0, n, StandardCharsets.ISO_8859_1);
        }
        b.write(c);
      }
      return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads exactly {@code n} bytes. */
  byte[] bytes(int n) {
    try {
      return in.readNBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads exactly as many bytes as {@code expected} has and returns them as text. */
  String exactly(String expected) {
    return new String(bytes(expected.length()), StandardCharsets.ISO_8859_1);
  }

  /** Sends {@code request} and reads as many bytes as {@code expectedReply} has. */
  String call(String request, String expectedReply) {
    send(request);
    return exactly(expectedReply);
  }

  /** Whether the server closed the connection (reads until EOF, within the timeout). */
  boolean closedByServer() {
    try {
      socket.setSoTimeout(10_000);
      while (true) {
        int c = in.read();
        if (c < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** Reads whatever arrives within {@code millis}. */
  String drain(int millis) {
    try {
      socket.setSoTimeout(millis);
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          b.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        // done
      }
      socket.setSoTimeout(30_000);
      return b.toString(StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing
    }
  }
}
