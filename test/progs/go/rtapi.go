// rtapi: a Lambda Runtime API upstream written with Go's net/http, routed the
// way AWS's runtime interface (RAPID: net/http + a path router) routes it,
// for the proxy's differential and adversarial tests. A second HTTP stack:
// nothing of fnguard's request parsing is shared.
//
//	rtapi -log FILE -port-file FILE
//
// Listens on 127.0.0.1:ephemeral (the port goes to -port-file). Routes, on the
// decoded path as a router sees it:
//
//	GET  /2018-06-01/runtime/invocation/next        a new invocation at once:
//	     Lambda-Runtime-Aws-Request-Id inv-N, Lambda-Runtime-Trace-Id, 200
//	POST /2018-06-01/runtime/invocation/{id}/response   202
//	POST /2018-06-01/runtime/invocation/{id}/error      202
//	POST /2018-06-01/runtime/init/error                 202
//	anything else: 404, or 405 for a known path with another method
//
// Each routed request is one JSON line in the log, written before the
// answer: route, method, id, the body's length and SHA-256 (framing), the
// error type, and body_err when the body could not be read whole (then the
// request counts for nothing: "ok" false).
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
)

type entry struct {
	Route     string `json:"route"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	ID        string `json:"id,omitempty"`
	Len       int    `json:"len"`
	Sha       string `json:"sha"`
	ErrorType string `json:"error_type,omitempty"`
	OK        bool   `json:"ok"`
}

type server struct {
	mu  sync.Mutex
	log *os.File
	n   int
}

const prefix = "/2018-06-01/runtime/"

// route: the route and request id of a path, and the method it needs.
func route(path string) (string, string, string) {
	if !strings.HasPrefix(path, prefix) {
		return "other", "", ""
	}
	rest := path[len(prefix):]
	if rest == "invocation/next" {
		return "next", "", "GET"
	}
	if rest == "init/error" {
		return "init-error", "", "POST"
	}
	parts := strings.Split(rest, "/")
	if len(parts) == 3 && parts[0] == "invocation" && parts[1] != "" {
		switch parts[2] {
		case "response":
			return "response", parts[1], "POST"
		case "error":
			return "error", parts[1], "POST"
		}
	}
	return "other", "", ""
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if r.URL.RawPath != "" {
		path = r.URL.RawPath // the router matches the escaped path when there is one
	}
	rt, id, method := route(path)
	if method != "" && r.Method != method {
		rt, id = "other", ""
	}
	body, err := io.ReadAll(r.Body)
	sum := sha256.Sum256(body)
	e := entry{Route: rt, Method: r.Method, Path: path, ID: id, Len: len(body), Sha: hex.EncodeToString(sum[:8]),
		OK: err == nil}
	if rt == "error" || rt == "init-error" {
		e.ErrorType = r.Header.Get("Lambda-Runtime-Function-Error-Type")
	}
	n := 0
	s.mu.Lock()
	if rt == "next" && err == nil {
		s.n++
		n = s.n
		e.ID = fmt.Sprintf("inv-%d", n)
	}
	line, _ := json.Marshal(e)
	s.log.Write(append(line, '\n'))
	s.mu.Unlock()
	if err != nil {
		return
	}
	switch {
	case rt == "next":
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", e.ID)
		w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-"+e.ID)
		w.Header().Set("Lambda-Runtime-Deadline-Ms", "4102444800000")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, "{\"n\":%d}", n)
	case rt != "other":
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "{\"status\":\"OK\"}")
	case method != "":
		w.WriteHeader(http.StatusMethodNotAllowed)
	default:
		http.NotFound(w, r)
	}
}

func main() {
	logPath := flag.String("log", "", "log file")
	portFile := flag.String("port-file", "", "where the port goes")
	flag.Parse()
	f, err := os.OpenFile(*logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := os.WriteFile(*portFile+".tmp", []byte(fmt.Sprintf("%d\n", port)), 0o644); err != nil {
		os.Exit(2)
	}
	os.Rename(*portFile+".tmp", *portFile)
	http.Serve(ln, &server{log: f})
}
