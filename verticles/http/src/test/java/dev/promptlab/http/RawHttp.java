package dev.promptlab.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client for the cases a real client library hides: headers sent slowly, a body that stops, a
 * request whose body is never sent. Every read waits for bytes or the end of the stream; the socket timeout is
 * only a safety net that fails the test.
 */
final class RawHttp {

  static final int SAFETY_NET_MS = 60_000;

  /** One response; {@code closed} says whether the server ended the connection after it. */
  record Response(int status, Map<String, String> headers, String body, boolean closed) {
  }

  private RawHttp() {
  }

  static Socket connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(SAFETY_NET_MS);
    return socket;
  }

  static byte[] head(String requestLine, String... headers) {
    StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads one response (with a Content-Length body) and, when {@code thenEnd}, on until the server closes. */
  static Response read(Socket socket, boolean thenEnd) throws IOException {
    InputStream in = socket.getInputStream();
    String statusLine = readLine(in);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    boolean closed = thenEnd && ended(socket);
    return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
      new String(body, StandardCharsets.UTF_8), closed);
  }

  /**
   * Waits until the server ends the connection: true on the end of the stream (or a reset), false when bytes
   * arrive instead. The safety net's timeout fails the test.
   */
  static boolean ended(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("the server left the connection open for " + SAFETY_NET_MS + " ms", stillOpen);
    } catch (SocketException reset) {
      return true;
    }
  }

  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("the connection ended in the middle of the response: " + line);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
