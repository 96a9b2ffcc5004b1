// Starts Temporal's Java time-skipping test server bound to 127.0.0.1 only. The stock main class
// (io.temporal.testserver.TestServer) binds every interface; tests here must stay on loopback.
// Arguments match the stock main class: <port> [--enable-time-skipping]
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.net.InetSocketAddress;

public final class LoopbackTestServer {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("Usage: LoopbackTestServer <port> [--enable-time-skipping]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    boolean timeSkipping = args.length > 1 && "--enable-time-skipping".equalsIgnoreCase(args[1]);
    TestServicesStarter services = new TestServicesStarter(!timeSkipping, 0L);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port), InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      services.close();
    }));
    server.awaitTermination();
  }
}
