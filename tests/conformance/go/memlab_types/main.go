// Prints, for every type the interface snippets use, what the runtime's
// type descriptor (internal/abi.Type) says: size, hash, and whether the
// value is stored directly in an interface's data word. The hash is the one
// an itab copies (abi.ITab.Hash) and type switches use.
package main

import (
	"encoding/json"
	"os"
	"unsafe"
)

type MyErr struct{ msg string }

func (e *MyErr) Error() string { return e.msg }

type point struct{ x, y int }

type empty struct{}

// The head of internal/abi.Type (go1.27, 64-bit).
type abiType struct {
	size     uintptr
	ptrBytes uintptr
	hash     uint32
	tflag    uint8
	align    uint8
	fieldAlg uint8
	kind     uint8
}

// The head of internal/abi.ITab.
type abiItab struct {
	inter unsafe.Pointer
	typ   *abiType
	hash  uint32
}

type row struct {
	Size   uintptr `json:"size"`
	Hash   uint32  `json:"hash"`
	Direct bool    `json:"direct"`
}

func typeOf(v any) *abiType {
	return (*abiType)((*[2]unsafe.Pointer)(unsafe.Pointer(&v))[0])
}

func describe(v any) row {
	t := typeOf(v)
	return row{Size: t.size, Hash: t.hash, Direct: t.size == unsafe.Sizeof(uintptr(0)) && t.ptrBytes == t.size}
}

func main() {
	var n int
	out := map[string]row{
		"*main.MyErr":    describe((*MyErr)(nil)),
		"main.point":     describe(point{}),
		"main.empty":     describe(empty{}),
		"int":            describe(0),
		"int64":          describe(int64(0)),
		"uint8":          describe(uint8(0)),
		"string":         describe(""),
		"[]int":          describe([]int(nil)),
		"*int":           describe(&n),
		"map[string]int": describe(map[string]int(nil)),
	}
	var err error = &MyErr{}
	tab := (*[2]*abiItab)(unsafe.Pointer(&err))[0]
	out["itab(error,*main.MyErr)"] = row{Size: tab.typ.size, Hash: tab.hash, Direct: true}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
