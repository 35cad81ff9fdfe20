// dnsclient: outbound connections by host name, the way Go functions make
// them, with Go's own DNS resolver (built CGO_ENABLED=0 -tags netgo, so no
// libc lookup is involved).
//
//	dnsclient tcp HOST[:PORT]...   net.Dial("tcp") + an HTTP exchange
//	dnsclient http HOST[:PORT]...  http.Get("http://HOST:PORT/"), no proxy
//	dnsclient resolve NAME...      net.Resolver{PreferGo: true}.LookupIP("ip4")
//
// Ports default to 8080. One line per attempt:
//
//	OK NAME [detail] | DENIED ERRNO NAME | NORESOLVE WHAT NAME | FAILED WHAT NAME
//
// (detail: the sorted addresses of a lookup). Exit status 0 whatever the outcomes.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"
)

func hostPort(target string) string {
	if _, _, err := net.SplitHostPort(target); err == nil {
		return target
	}
	return net.JoinHostPort(target, "8080")
}

func report(name string, err error, detail string) {
	var errno syscall.Errno
	var dnsErr *net.DNSError
	switch {
	case err == nil && detail != "":
		fmt.Printf("OK %s %s\n", name, detail)
	case err == nil:
		fmt.Printf("OK %s\n", name)
	case errors.As(err, &dnsErr):
		fmt.Printf("NORESOLVE %s %s\n", strings.ReplaceAll(dnsErr.Err, " ", "_"), name)
	case errors.As(err, &errno):
		fmt.Printf("DENIED %d %s\n", int(errno), name)
	default:
		fmt.Printf("FAILED %s %s\n", strings.ReplaceAll(err.Error(), " ", "_"), name)
	}
}

func viaTCP(target string) {
	c, err := net.DialTimeout("tcp4", hostPort(target), 10*time.Second)
	if err != nil {
		report(target, err, "")
		return
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err = io.WriteString(c, "GET / HTTP/1.0\r\nHost: test\r\n\r\n"); err != nil {
		report(target, err, "")
		return
	}
	body, err := io.ReadAll(c)
	if err == nil && !strings.Contains(string(body), "hello") {
		err = errors.New("no-hello")
	}
	report(target, err, "")
}

func viaHTTP(target string) {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
				return dialer.DialContext(ctx, "tcp4", addr)
			},
		},
	}
	resp, err := client.Get("http://" + hostPort(target) + "/")
	if err != nil {
		report(target, err, "")
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && string(body) != "hello" {
		err = errors.New("no-hello")
	}
	report(target, err, "")
}

func viaResolve(name string) {
	r := &net.Resolver{PreferGo: true}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ips, err := r.LookupIP(ctx, "ip4", name)
	addrs := make([]string, 0, len(ips))
	for _, ip := range ips {
		addrs = append(addrs, ip.String())
	}
	sort.Strings(addrs)
	report(name, err, strings.Join(addrs, ","))
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dnsclient tcp|http|resolve TARGET...")
		os.Exit(2)
	}
	fn := map[string]func(string){"tcp": viaTCP, "http": viaHTTP, "resolve": viaResolve}[os.Args[1]]
	if fn == nil {
		fmt.Fprintln(os.Stderr, "dnsclient: unknown mode", os.Args[1])
		os.Exit(2)
	}
	for _, target := range os.Args[2:] {
		fn(target)
	}
}
