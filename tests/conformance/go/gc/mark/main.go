// The heap shape of the marking benchmark: n objects of 48 bytes with 4
// pointers each, slot 0 chaining them all, the others random. It then runs
// runtime.GC() a few times under GODEBUG=gctrace=1; the caller reads the
// concurrent-mark wall-clock time from the "(forced)" gctrace lines.
package main

import (
	"flag"
	"math/rand/v2"
	"runtime"
)

type node struct {
	p [4]*node
	a, b uint64
}

var root *node

func main() {
	n := flag.Int("objects", 1_000_000, "objects")
	rounds := flag.Int("rounds", 5, "forced GCs")
	flag.Parse()
	r := rand.New(rand.NewPCG(1, 2))
	nodes := make([]*node, *n)
	for i := range nodes {
		nodes[i] = new(node)
	}
	for i, x := range nodes {
		if i+1 < len(nodes) {
			x.p[0] = nodes[i+1]
		}
		for s := 1; s < 4; s++ {
			x.p[s] = nodes[r.IntN(len(nodes))]
		}
	}
	root = nodes[0]
	nodes = nil
	for i := 0; i < *rounds; i++ {
		runtime.GC()
	}
	runtime.KeepAlive(root)
}
