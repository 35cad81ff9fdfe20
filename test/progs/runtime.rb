# A Ruby runtime for the runtime tests (test/integration/runtimes.sh):
# threads, a loopback TCP echo, system("/bin/true"), and, with "lambda", a
# Lambda custom runtime loop on the Runtime API (Net::HTTP). Deterministic
# output: a run under an all-alert policy is compared with a native run.
require "socket"
require "net/http"

def threads
  sum = 0
  m = Mutex.new
  (0...4).map { |i| Thread.new { (i * 25...(i + 1) * 25).each { |n| m.synchronize { sum += n } } } }.each(&:join)
  sum
end

def echo
  server = TCPServer.new("127.0.0.1", 0)
  t = Thread.new { c = server.accept; c.write("echo " + c.gets); c.close }
  s = TCPSocket.new("127.0.0.1", server.addr[1])
  s.write("hello\n")
  line = s.gets.strip
  t.join
  s.close
  server.close
  line
end

def run
  system("/bin/true") ? "exec ok" : "exec refused"
rescue SystemCallError
  "exec refused"
end

def lambda_loop
  host, port = ENV["AWS_LAMBDA_RUNTIME_API"].split(":")
  http = Net::HTTP.new(host, port.to_i)
  loop do
    r = begin
      http.request(Net::HTTP::Get.new("/2018-06-01/runtime/invocation/next"))
    rescue StandardError
      break
    end
    id = r["Lambda-Runtime-Aws-Request-Id"]
    out = %({"runtime":"ruby","sum":#{threads},"echo":"#{echo}","event":#{r.body}})
    http.request(Net::HTTP::Post.new("/2018-06-01/runtime/invocation/#{id}/response"), out)
  end
end

if ARGV[0] == "lambda"
  lambda_loop
else
  puts "threads #{threads}"
  puts echo
  puts run
end
