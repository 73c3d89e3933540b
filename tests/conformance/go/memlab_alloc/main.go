// Asks the runtime how it rounds allocations. Reads sizes (one a line) on
// standard input and prints, for each, JSON with:
//   - noscan: cap(append([]byte(nil), make([]byte, n)...)), which growslice
//     computes with roundupsize(n, noscan=true);
//   - scan (n a multiple of 8): 8*cap of the same for []*int, which is
//     roundupsize(n, noscan=false), malloc header included;
//   - tiny: whether an n-byte pointer-free allocation went through the tiny
//     allocator: a 1-byte allocation right after it then lands in the same
//     16-byte block, just past it (tried a few times, since the current
//     block may be too full).
//
// Sizes go to standard input so the test picks them.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strconv"
	"unsafe"
)

type row struct {
	Size   int  `json:"size"`
	Noscan int  `json:"noscan"`
	Scan   int  `json:"scan"`
	Tiny   bool `json:"tiny"`
}

var sink [][]byte

func packedTogether(n int) bool {
	for try := 0; try < 32; try++ {
		// A filler of varying size leaves the current block in a
		// different state each try. Sizes of 16 and more can never pass
		// the test: a and a+n are then in different 16-byte blocks.
		sink = append(sink, make([]byte, try%16))
		a := make([]byte, n)
		b := make([]byte, 1)
		sink = append(sink, a, b)
		if n == 0 {
			continue
		}
		pa, pb := uintptr(unsafe.Pointer(&a[0])), uintptr(unsafe.Pointer(&b[0]))
		if pb == pa+uintptr(n) && pa/16 == pb/16 {
			return true
		}
	}
	return false
}

func main() {
	var rows []row
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		n, err := strconv.Atoi(in.Text())
		if err != nil {
			panic(err)
		}
		r := row{Size: n, Noscan: cap(append([]byte(nil), make([]byte, n)...))}
		if n%8 == 0 {
			r.Scan = 8 * cap(append([]*int(nil), make([]*int, n/8)...))
		}
		if n <= 64 {
			r.Tiny = packedTogether(n)
		}
		rows = append(rows, r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(rows); err != nil {
		panic(err)
	}
}
