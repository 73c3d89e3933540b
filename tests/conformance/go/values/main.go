// Command values is the oracle for Gopherscope's value-representation model.
//
// It reads a JSON request on standard input:
//
//	{"arches": ["amd64", "386", ...], "structs": [["bool", "int64", "bool"], ...]}
//
// and prints, for every arch, go/types.SizesFor("gc", arch)'s size and
// alignment of each built-in kind and the layout of each struct; and for
// the machine it runs on ("native"), what the compiler (unsafe) and the
// runtime (reflect.StructOf) say.
package main

import (
	"encoding/json"
	"fmt"
	"go/types"
	"os"
	"reflect"
	"runtime"
	"unsafe"
)

type request struct {
	Arches  []string   `json:"arches"`
	Structs [][]string `json:"structs"`
}

type layout struct {
	Size    int64   `json:"size"`
	Align   int64   `json:"align"`
	Offsets []int64 `json:"offsets,omitempty"`
}

type answer struct {
	Kinds   map[string]layout `json:"kinds"`
	Structs []layout          `json:"structs"`
}

func typesKind(id string) types.Type {
	switch id {
	case "slice":
		return types.NewSlice(types.Typ[types.Int])
	case "any":
		return types.Universe.Lookup("any").Type()
	case "iface":
		return types.Universe.Lookup("error").Type()
	case "pointer":
		return types.NewPointer(types.Typ[types.Int])
	case "map":
		return types.NewMap(types.Typ[types.String], types.Typ[types.Int])
	case "chan":
		return types.NewChan(types.SendRecv, types.Typ[types.Int])
	case "func":
		return types.NewSignatureType(nil, nil, nil, nil, nil, false)
	case "struct{}":
		return types.NewStruct(nil, nil)
	case "unsafe.Pointer":
		return types.Typ[types.UnsafePointer]
	}
	obj := types.Universe.Lookup(id)
	if obj == nil {
		fail("unknown kind %q", id)
	}
	return obj.Type()
}

// nativeKinds is what the compiler itself says on this machine.
var nativeKinds = map[string][2]uintptr{
	"bool":           {unsafe.Sizeof(false), unsafe.Alignof(false)},
	"int8":           {unsafe.Sizeof(int8(0)), unsafe.Alignof(int8(0))},
	"int16":          {unsafe.Sizeof(int16(0)), unsafe.Alignof(int16(0))},
	"int32":          {unsafe.Sizeof(int32(0)), unsafe.Alignof(int32(0))},
	"int64":          {unsafe.Sizeof(int64(0)), unsafe.Alignof(int64(0))},
	"int":            {unsafe.Sizeof(int(0)), unsafe.Alignof(int(0))},
	"uint8":          {unsafe.Sizeof(uint8(0)), unsafe.Alignof(uint8(0))},
	"uint16":         {unsafe.Sizeof(uint16(0)), unsafe.Alignof(uint16(0))},
	"uint32":         {unsafe.Sizeof(uint32(0)), unsafe.Alignof(uint32(0))},
	"uint64":         {unsafe.Sizeof(uint64(0)), unsafe.Alignof(uint64(0))},
	"uint":           {unsafe.Sizeof(uint(0)), unsafe.Alignof(uint(0))},
	"uintptr":        {unsafe.Sizeof(uintptr(0)), unsafe.Alignof(uintptr(0))},
	"float32":        {unsafe.Sizeof(float32(0)), unsafe.Alignof(float32(0))},
	"float64":        {unsafe.Sizeof(float64(0)), unsafe.Alignof(float64(0))},
	"complex64":      {unsafe.Sizeof(complex64(0)), unsafe.Alignof(complex64(0))},
	"complex128":     {unsafe.Sizeof(complex128(0)), unsafe.Alignof(complex128(0))},
	"string":         {unsafe.Sizeof(""), unsafe.Alignof("")},
	"slice":          {unsafe.Sizeof([]int(nil)), unsafe.Alignof([]int(nil))},
	"any":            {unsafe.Sizeof(any(nil)), unsafe.Alignof(any(nil))},
	"iface":          {unsafe.Sizeof(error(nil)), unsafe.Alignof(error(nil))},
	"pointer":        {unsafe.Sizeof((*int)(nil)), unsafe.Alignof((*int)(nil))},
	"unsafe.Pointer": {unsafe.Sizeof(unsafe.Pointer(nil)), unsafe.Alignof(unsafe.Pointer(nil))},
	"map":            {unsafe.Sizeof(map[string]int(nil)), unsafe.Alignof(map[string]int(nil))},
	"chan":           {unsafe.Sizeof((chan int)(nil)), unsafe.Alignof((chan int)(nil))},
	"func":           {unsafe.Sizeof((func())(nil)), unsafe.Alignof((func())(nil))},
	"struct{}":       {unsafe.Sizeof(struct{}{}), unsafe.Alignof(struct{}{})},
}

// reflectKind gives the runtime's type for a kind, for reflect.StructOf.
func reflectKind(id string) reflect.Type {
	switch id {
	case "bool":
		return reflect.TypeFor[bool]()
	case "int8":
		return reflect.TypeFor[int8]()
	case "int16":
		return reflect.TypeFor[int16]()
	case "int32":
		return reflect.TypeFor[int32]()
	case "int64":
		return reflect.TypeFor[int64]()
	case "int":
		return reflect.TypeFor[int]()
	case "uint8":
		return reflect.TypeFor[uint8]()
	case "uint16":
		return reflect.TypeFor[uint16]()
	case "uint32":
		return reflect.TypeFor[uint32]()
	case "uint64":
		return reflect.TypeFor[uint64]()
	case "uint":
		return reflect.TypeFor[uint]()
	case "uintptr":
		return reflect.TypeFor[uintptr]()
	case "float32":
		return reflect.TypeFor[float32]()
	case "float64":
		return reflect.TypeFor[float64]()
	case "complex64":
		return reflect.TypeFor[complex64]()
	case "complex128":
		return reflect.TypeFor[complex128]()
	case "string":
		return reflect.TypeFor[string]()
	case "slice":
		return reflect.TypeFor[[]int]()
	case "any":
		return reflect.TypeFor[any]()
	case "iface":
		return reflect.TypeFor[error]()
	case "pointer":
		return reflect.TypeFor[*int]()
	case "unsafe.Pointer":
		return reflect.TypeFor[unsafe.Pointer]()
	case "map":
		return reflect.TypeFor[map[string]int]()
	case "chan":
		return reflect.TypeFor[chan int]()
	case "func":
		return reflect.TypeFor[func()]()
	case "struct{}":
		return reflect.TypeFor[struct{}]()
	}
	fail("unknown kind %q", id)
	return nil
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "values: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fail("bad request: %v", err)
	}
	out := map[string]answer{}
	for _, arch := range req.Arches {
		sizes := types.SizesFor("gc", arch)
		if sizes == nil {
			fail("go/types does not know GOARCH %q", arch)
		}
		a := answer{Kinds: map[string]layout{}}
		for id := range nativeKinds {
			t := typesKind(id)
			a.Kinds[id] = layout{Size: sizes.Sizeof(t), Align: sizes.Alignof(t)}
		}
		for _, s := range req.Structs {
			var fields []*types.Var
			for i, id := range s {
				fields = append(fields, types.NewField(0, nil, fmt.Sprintf("F%d", i), typesKind(id), false))
			}
			st := types.NewStruct(fields, nil)
			a.Structs = append(a.Structs, layout{Size: sizes.Sizeof(st), Align: sizes.Alignof(st), Offsets: sizes.Offsetsof(fields)})
		}
		out[arch] = a
	}
	native := answer{Kinds: map[string]layout{}}
	for id, sa := range nativeKinds {
		native.Kinds[id] = layout{Size: int64(sa[0]), Align: int64(sa[1])}
	}
	for _, s := range req.Structs {
		var fields []reflect.StructField
		for i, id := range s {
			fields = append(fields, reflect.StructField{Name: fmt.Sprintf("F%d", i), Type: reflectKind(id)})
		}
		t := reflect.StructOf(fields)
		l := layout{Size: int64(t.Size()), Align: int64(t.Align())}
		for i := range fields {
			l.Offsets = append(l.Offsets, int64(t.Field(i).Offset))
		}
		native.Structs = append(native.Structs, l)
	}
	out["native:"+runtime.GOARCH] = native
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail("%v", err)
	}
}
