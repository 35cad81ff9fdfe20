// A custom runtime's bootstrap written in Go (test/integration/handler_code.sh):
// connects to the Runtime API (ends initialisation), then reads its own
// binary and the data file named by its argument: "OK path" or "DENIED path".
package main

import (
	"fmt"
	"net"
	"os"
	"strings"
)

func main() {
	api := os.Getenv("AWS_LAMBDA_RUNTIME_API")
	if c, err := net.Dial("tcp", "127.0.0.1:"+api[strings.LastIndex(api, ":")+1:]); err == nil {
		c.Close()
	}
	self, _ := os.Executable()
	for _, p := range []string{self, os.Args[1]} {
		if _, err := os.ReadFile(p); err != nil {
			fmt.Println("DENIED", p, err)
		} else {
			fmt.Println("OK", p)
		}
	}
}
