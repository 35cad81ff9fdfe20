// A Go runtime for the runtime tests (test/integration/runtimes.sh):
// goroutines, a loopback TCP echo, os/exec of /bin/true, and, with
// "lambda", a Lambda custom runtime loop on the Runtime API (net/http).
// Output is deterministic, so a run under an all-alert policy can be
// compared with a native run byte for byte.
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
)

func goroutines() int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	sum := 0
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			mu.Lock()
			sum += n
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	return sum
}

func echo() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "listen: " + err.Error()
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		line, _ := bufio.NewReader(c).ReadString('\n')
		c.Write([]byte("echo " + line))
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return "dial: " + err.Error()
	}
	defer c.Close()
	c.Write([]byte("hello\n"))
	line, _ := bufio.NewReader(c).ReadString('\n')
	return strings.TrimSpace(line)
}

func run() string {
	if err := exec.Command("/bin/true").Run(); err != nil {
		return "exec refused"
	}
	return "exec ok"
}

func lambda() {
	api := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime"
	for {
		r, err := http.Get(api + "/invocation/next")
		if err != nil {
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		id := r.Header.Get("Lambda-Runtime-Aws-Request-Id")
		out := fmt.Sprintf(`{"runtime":"go","sum":%d,"echo":%q,"event":%s}`, goroutines(), echo(), body)
		p, err := http.Post(api+"/invocation/"+id+"/response", "application/json", strings.NewReader(out))
		if err != nil {
			return
		}
		p.Body.Close()
	}
}

func main() {
	mode := "all"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "goroutines":
		fmt.Printf("goroutines %d\n", goroutines())
	case "lambda":
		lambda()
	default:
		fmt.Printf("goroutines %d\n", goroutines())
		fmt.Println(echo())
		fmt.Println(run())
	}
}
