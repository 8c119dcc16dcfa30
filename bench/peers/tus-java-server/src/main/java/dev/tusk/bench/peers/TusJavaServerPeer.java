package dev.tusk.bench.peers;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import me.desair.tus.server.TusFileUploadService;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The tus-java-server peer of tusk's benchmark: {@code java -jar tus-java-server-peer.jar PORT DATA_DIR}.
 *
 * <p>tus-java-server with its file storage in DATA_DIR and the download feature, behind one servlet
 * in embedded Jetty 12 with Jetty's default thread pool (200 threads), on 127.0.0.1 at /files.
 */
public final class TusJavaServerPeer {

  private TusJavaServerPeer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: java -jar tus-java-server-peer.jar PORT DATA_DIR");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Path dir = Files.createDirectories(Path.of(args[1]));
    TusFileUploadService tus =
        new TusFileUploadService()
            .withStoragePath(dir.toString())
            .withUploadUri("/files")
            .withMaxUploadSize(64L << 30)
            .withDownloadFeature();

    Server server = new Server(new QueuedThreadPool());
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = new ServletHolder(new TusServlet(tus));
    context.addServlet(holder, "/files");
    context.addServlet(holder, "/files/*");
    server.setHandler(context);
    server.setStopAtShutdown(true);
    server.start();
    System.out.println("tus-java-server listening on 127.0.0.1:" + port);
    server.join();
  }

  private static final class TusServlet extends HttpServlet {
    private final transient TusFileUploadService tus;

    TusServlet(TusFileUploadService tus) {
      this.tus = tus;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      tus.process(req, resp);
    }
  }
}
