// A Java function that reads its own code after initialisation
// (test/integration/handler_code.sh): java example.Hello CODE DATA.
package example;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Paths;

public class Hello {
	public static void main(String[] args) {
		String[] api = System.getenv("AWS_LAMBDA_RUNTIME_API").split(":");
		try (Socket s = new Socket("127.0.0.1", Integer.parseInt(api[1]))) {
		} catch (Exception e) {
		}
		for (String p : args) {
			try {
				Files.readAllBytes(Paths.get(p));
				System.out.println("OK " + p);
			} catch (Exception e) {
				System.out.println("DENIED " + e.getClass().getSimpleName() + " " + p);
			}
		}
	}
}
