// A Java runtime for the runtime tests (test/integration/runtimes.sh):
// threads, a loopback socket echo, ProcessBuilder running /bin/true, and,
// with "lambda", a Lambda custom runtime loop on the Runtime API
// (HttpURLConnection). Deterministic output: a run under an all-alert
// policy is compared with a native run byte for byte.
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

public class FnRuntime {
	static int threads() throws InterruptedException {
		AtomicInteger sum = new AtomicInteger();
		Thread[] ts = new Thread[4];
		for (int i = 0; i < ts.length; i++) {
			final int base = i * 25;
			ts[i] = new Thread(() -> { for (int n = base; n < base + 25; n++) sum.addAndGet(n); });
			ts[i].start();
		}
		for (Thread t : ts)
			t.join();
		return sum.get();
	}

	static String echo() throws Exception {
		try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread server = new Thread(() -> {
				try (Socket c = ss.accept()) {
					String line = new BufferedReader(new InputStreamReader(c.getInputStream())).readLine();
					c.getOutputStream().write(("echo " + line + "\n").getBytes(StandardCharsets.UTF_8));
				} catch (IOException e) {
				}
			});
			server.start();
			try (Socket s = new Socket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
				s.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
				String r = new BufferedReader(new InputStreamReader(s.getInputStream())).readLine();
				server.join();
				return r;
			}
		}
	}

	static String run() {
		try {
			return new ProcessBuilder("/bin/true").start().waitFor() == 0 ? "exec ok" : "exec failed";
		} catch (Exception e) {
			return "exec refused";
		}
	}

	static String http(String method, String url, String body, String[] id) throws IOException {
		HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
		c.setRequestMethod(method);
		if (body != null) {
			c.setDoOutput(true);
			c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
		}
		if (id != null)
			id[0] = c.getHeaderField("Lambda-Runtime-Aws-Request-Id");
		try (InputStream in = c.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	static void lambda() throws Exception {
		String api = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime";
		while (true) {
			String[] id = new String[1];
			String event;
			try {
				event = http("GET", api + "/invocation/next", null, id);
			} catch (IOException e) {
				return;
			}
			String out = "{\"runtime\":\"java\",\"sum\":" + threads() + ",\"echo\":\"" + echo() + "\",\"event\":" + event + "}";
			http("POST", api + "/invocation/" + id[0] + "/response", out, null);
		}
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("lambda")) {
			lambda();
			return;
		}
		System.out.println("threads " + threads());
		System.out.println(echo());
		System.out.println(run());
	}
}
