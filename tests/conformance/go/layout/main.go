// Command layout is the go/types oracle for Gopherscope's struct layout lab.
//
// It reads Go source (one package of type declarations) on standard input,
// type-checks it once (importing sync and sync/atomic from GOROOT source),
// and prints, for every GOARCH named in the arguments,
// go/types.SizesFor("gc", arch)'s size and alignment of every declared type
// and the offsets of the fields of each struct:
//
//	{"amd64": {"T": {"size": 24, "align": 8, "offsets": [0, 8, 16]}, ...}, ...}
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
)

type layout struct {
	Size    int64   `json:"size"`
	Align   int64   `json:"align"`
	Offsets []int64 `json:"offsets"`
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "layout: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	src, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("%v", err)
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "input.go", src, 0)
	if err != nil {
		fail("%v", err)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	pkg, err := conf.Check("p", fset, []*ast.File{file}, nil)
	if err != nil {
		fail("%v", err)
	}
	out := map[string]map[string]layout{}
	for _, arch := range os.Args[1:] {
		sizes := types.SizesFor("gc", arch)
		if sizes == nil {
			fail("go/types does not know GOARCH %q", arch)
		}
		a := map[string]layout{}
		for _, name := range pkg.Scope().Names() {
			obj, ok := pkg.Scope().Lookup(name).(*types.TypeName)
			if !ok {
				continue
			}
			t := obj.Type()
			l := layout{Size: sizes.Sizeof(t), Align: sizes.Alignof(t), Offsets: []int64{}}
			if st, ok := t.Underlying().(*types.Struct); ok {
				var fields []*types.Var
				for i := 0; i < st.NumFields(); i++ {
					fields = append(fields, st.Field(i))
				}
				l.Offsets = sizes.Offsetsof(fields)
			}
			a[name] = l
		}
		out[arch] = a
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail("%v", err)
	}
}
