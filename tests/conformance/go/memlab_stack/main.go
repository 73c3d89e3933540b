// Watches a goroutine's stack move. A pointer to a local of the goroutine's
// first frame is passed down a recursion; copystack adjusts it whenever the
// stack is copied, so a change of its value means the stack moved (grew).
// After the recursion, the goroutine parks while main runs GCs, and checks
// again after each: a move then is shrinkstack. Prints JSON.
// With the argument "overflow", recurses forever under a 1 MB limit.
package main

import (
	"encoding/json"
	"os"
	"runtime"
	"runtime/debug"
	"unsafe"
)

const maxMoves = 64

type report struct {
	Frame      uintptr   `json:"frame"`
	MoveDepths []int     `json:"move_depths"`
	Shrinks    []bool    `json:"shrinks"`
	depths     [maxMoves]int
	n          int
	prevUsed   uintptr
	frame      uintptr
}

//go:noinline
func dive(root *int, prev uintptr, depth, limit int, r *report) int {
	var pad [16]int
	pad[depth%16] = depth
	cur := uintptr(unsafe.Pointer(root))
	used := cur - uintptr(unsafe.Pointer(&pad))
	if depth == 2 {
		r.frame = used - r.prevUsed
	}
	r.prevUsed = used
	if cur != prev && depth > 0 && r.n < maxMoves {
		r.depths[r.n] = depth
		r.n++
	}
	if depth == limit {
		return pad[depth%16]
	}
	return dive(root, cur, depth+1, limit, r) + pad[depth%16]
}

//go:noinline
func forever(n int) int {
	var pad [16]int
	pad[n%16] = n
	return forever(n+1) + pad[n%16]
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "overflow" {
		debug.SetMaxStack(1 << 20)
		forever(0)
		return
	}
	r := &report{}
	ready := make(chan bool)
	gcDone := make(chan bool)
	finished := make(chan bool)
	const gcs = 12
	go func() {
		var anchor int
		root := &anchor
		dive(root, uintptr(unsafe.Pointer(root)), 0, 6000, r)
		for i := 0; i < gcs; i++ {
			before := uintptr(unsafe.Pointer(root))
			ready <- true
			<-gcDone
			r.Shrinks = append(r.Shrinks, uintptr(unsafe.Pointer(root)) != before)
		}
		finished <- true
	}()
	for i := 0; i < gcs; i++ {
		<-ready
		runtime.GC()
		gcDone <- true
	}
	<-finished
	r.Frame = r.frame
	r.MoveDepths = r.depths[:r.n]
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		panic(err)
	}
}
