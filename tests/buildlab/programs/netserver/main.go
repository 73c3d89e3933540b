// A net/http server that resolves a name. Importing net is what matters to
// the build explorer: with CGO_ENABLED=1 the net package's resolver is built
// with cgo and the binary links libc dynamically; with CGO_ENABLED=0 Go's own
// resolver is used and the binary is static.
//
// Run with no arguments it prints its version and exits, so the generator
// can try it on an empty (scratch) root without a network. "lookup NAME"
// resolves NAME with net.LookupHost; "serve ADDR" serves a greeting.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
)

// version is "dev" unless the build sets it: -ldflags="-X main.version=1.2.3".
var version = "dev"

func main() {
	if len(os.Args) < 3 {
		fmt.Println("netserver; version", version)
		return
	}
	switch os.Args[1] {
	case "lookup":
		addrs, err := net.LookupHost(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(addrs)
	case "serve":
		http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintln(w, "hello from netserver", version)
		})
		if err := http.ListenAndServe(os.Args[2], nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: netserver [lookup NAME | serve ADDR]")
		os.Exit(2)
	}
}
