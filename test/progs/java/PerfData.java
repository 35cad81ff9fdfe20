// The JVM's perf-data file under fnguard (test/integration/jvmperf.sh).
// The JVM makes /tmp/hsperfdata_USER/PID itself at start-up; this program
// says whether it is there, and tries the opens a function could make in
// that directory:
//   check             "perfdata PID yes|no": its own file exists now
//   open PATH         open PATH read-write, creating it, not following a
//                     final symlink (what HotSpot does for its own file)
//   follow PATH       open PATH read-write, creating it (follows symlinks)
//   other             open the file of another process id (its own + 1)
//   waitlink          wait (20 s at most) until its own file is replaced by
//                     a symlink, then open it as "follow" does and write
// Each open prints "open ok" (and writes "data") or "open refused: WHY".
import java.io.*;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.*;

public class PerfData {
	static Path own() {
		return Paths.get("/tmp/hsperfdata_" + System.getProperty("user.name"),
				 Long.toString(ProcessHandle.current().pid()));
	}

	static void open(Path p, boolean follow) {
		try {
			java.util.Set<OpenOption> o = new java.util.HashSet<>(java.util.List.of(
				StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE));
			if (!follow)
				o.add(LinkOption.NOFOLLOW_LINKS);
			try (SeekableByteChannel c = Files.newByteChannel(p, o)) {
				c.write(ByteBuffer.wrap("data".getBytes()));
			}
			System.out.println("open ok");
		} catch (IOException e) {
			System.out.println("open refused: " + e.getClass().getSimpleName());
		}
	}

	public static void main(String[] a) throws Exception {
		switch (a[0]) {
		case "check":
			System.out.println("perfdata " + (Files.isRegularFile(own(), LinkOption.NOFOLLOW_LINKS) ? "yes" : "no"));
			break;
		case "open":
			open(Paths.get(a[1]), false);
			break;
		case "follow":
			open(Paths.get(a[1]), true);
			break;
		case "other":
			open(own().resolveSibling(Long.toString(ProcessHandle.current().pid() + 1)), false);
			break;
		case "waitlink":
			System.out.println("pid " + ProcessHandle.current().pid());
			for (int i = 0; i < 2000 && !Files.isSymbolicLink(own()); i++)
				Thread.sleep(10);
			open(own(), true);
			break;
		}
	}
}
