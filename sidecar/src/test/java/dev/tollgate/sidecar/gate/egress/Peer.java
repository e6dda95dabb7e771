package dev.tollgate.sidecar.gate.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A destination on loopback for the egress tests: a real server socket whose behaviour per
 * connection is given by the test (echo, send N bytes, say nothing, answer HTTP). Stops every
 * thread and socket it started on close.
 */
final class Peer implements AutoCloseable {

  /** What the destination does with one accepted connection. */
  interface Behaviour {
    void serve(Socket socket) throws IOException;
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());

  Peer(Behaviour behaviour) throws IOException {
    this(InetAddress.getLoopbackAddress(), 0, behaviour);
  }

  /** A destination on {@code address} (a loopback address), {@code port} 0 for a free one. */
  Peer(InetAddress address, int port, Behaviour behaviour) throws IOException {
    server = new ServerSocket(port, 512, address);
    threads.execute(
        () -> {
          while (!server.isClosed()) {
            try {
              Socket socket = server.accept();
              accepted.add(socket);
              threads.execute(
                  () -> {
                    try (socket) {
                      behaviour.serve(socket);
                    } catch (IOException e) {
                      // The tunnel closed under the peer; the test checks what it needs.
                    }
                  });
            } catch (IOException e) {
              return;
            }
          }
        });
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return accepted.size();
  }

  /** Echoes every byte back. */
  static void echo(Socket socket) throws IOException {
    socket.getInputStream().transferTo(socket.getOutputStream());
  }

  /** Reads an HTTP request head and answers it with the head it got as the body. */
  static void httpMirror(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    byte[] body = head.toByteArray();
    OutputStream out = socket.getOutputStream();
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
            .getBytes());
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (accepted) {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
