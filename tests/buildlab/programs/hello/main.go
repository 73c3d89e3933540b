// Hello world: the smallest program the build explorer measures.
package main

import "fmt"

// version is "dev" unless the build sets it: -ldflags="-X main.version=1.2.3".
var version = "dev"

func main() {
	fmt.Println("hello, world; version", version)
}
