import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local bound to one host (DynamoDB Local itself only binds all interfaces).
 *
 * Usage: java LoopbackDynamoDBLocal <host> <port> <DynamoDB Local arguments...>
 * Port 0 lets the operating system pick a free port (DynamoDB Local's own `-port` refuses 0).
 * The launcher prints `LISTENING <host> <port>` on stdout once the server accepts connections.
 */
public final class LoopbackDynamoDBLocal {
  private LoopbackDynamoDBLocal() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: LoopbackDynamoDBLocal <host> <port> [DynamoDB Local arguments]");
      System.exit(2);
    }
    String host = args[0];
    int requestedPort = Integer.parseInt(args[1]);
    String[] rest = new String[args.length - 2];
    System.arraycopy(args, 2, rest, 0, rest.length);

    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(rest);
    // The Jetty server is private and created with only a port: set its connector's host and port before start.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    int port = -1;
    for (Connector connector : jetty.getConnectors()) {
      ((ServerConnector) connector).setHost(host);
      ((ServerConnector) connector).setPort(requestedPort);
    }
    // safeStart() throws on a bind failure, where start() only prints it.
    proxy.safeStart();
    for (Connector connector : jetty.getConnectors()) {
      port = ((ServerConnector) connector).getLocalPort();
    }
    System.out.println("LISTENING " + host + " " + port);
    System.out.flush();
    proxy.join();
  }
}
