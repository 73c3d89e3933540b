// Command buildlab measures what build flags do to a Go binary, with the
// real toolchain, and writes the data the build explorer and the toolchain
// page of Gopherscope show (issue 6, parts 2 and 3).
//
// Run it from tests/buildlab with the pinned Go:
//
//	cd tests/buildlab
//	GOPHERSCOPE_GO=/path/to/go $GOPHERSCOPE_GO run . write
//	$GOPHERSCOPE_GO run . builds ID...   # rebuild some combinations, print their records
//	$GOPHERSCOPE_GO run . tools NAME...  # recapture some tool excerpts, print their records
//
// "write" rewrites web/data/build-explorer.json and web/data/toolchain.json.
// "builds" and "tools" print a JSON array on stdout and write nothing; the
// conformance test (tests/conformance/tests/buildlab.rs) uses them to check
// the checked-in data against the toolchain.
//
// Every go command runs with GOTOOLCHAIN=local GOPROXY=off GOWORK=off and an
// empty GOFLAGS; other GO* and CGO_* variables of the caller are dropped, so
// GOAMD64 and friends take their defaults. Every build passes
//
//	go build -trimpath -buildvcs=false [-ldflags=...] -o NAME ./programs/P
//
// -trimpath removes this machine's directories from the binary and
// -buildvcs=false keeps the git commit out of it; the linker's build ID is a
// hash of the inputs, so the same toolchain (and, for cgo, the same C
// compiler and libc) gives byte-identical binaries on every run. The sha256
// of each binary is recorded so the conformance test can check exactly that.
//
// # web/data/build-explorer.json (schema "gopherscope/build-explorer/1")
//
//	schema          "gopherscope/build-explorer/1"
//	go_version      "go1.27.3": `go env GOVERSION` of the toolchain used
//	host            {goos, goarch, c_compiler}: the machine; c_compiler is the
//	                first line of `gcc --version` (cgo builds depend on it)
//	build_flags     ["-trimpath", "-buildvcs=false"]: passed to every build
//	env             the environment every go command gets (see above)
//	version_flag    "-X main.version=1.2.3"
//	programs        [{name, path, about}]: the programs measured
//	targets         [{goos, goarch, native, cross_cc}]: cross_cc is the C
//	                compiler a cgo build for that target would need
//	notes           sentences on facts a reader could take for mistakes
//	builds          one record per combination, 64 in all:
//	  id            "hello.linux-amd64.cgo0.nosw.nox" (program, target,
//	                CGO_ENABLED, -s -w or not, -X or not)
//	  program goos goarch native cgo_enabled strip set_version
//	  ldflags       the -ldflags value, "" for none
//	  command       the shell line that builds it, run in tests/buildlab
//	  uses_cgo      whether runtime/cgo is in the build (`go list -deps`)
//	  cgo_note      one sentence on what cgo means for this combination
//	  built         false when Go could not build it (cgo without a C
//	                compiler for the target); then build_error holds Go's
//	                message and binary, version_m, run and scratch are null
//	  build_error   string or null
//	  binary        {size_bytes, sha256, format ("ELF", "PE", "Mach-O"),
//	                linking ("static" or "dynamic"), interpreter (PT_INTERP
//	                or LC_LOAD_DYLINKER, null when none), needed (DT_NEEDED,
//	                imported DLLs or LC_LOAD_DYLIB), linking_note,
//	                symbol_table (".symtab", "COFF symbol table", "LC_SYMTAB"
//	                or null when stripped), symbols (its entry count),
//	                defined_symbols (those not imported from a library),
//	                keeps_symbols (defined_symbols > 0), dwarf_sections
//	                (names; empty when there is no DWARF), keeps_dwarf}
//	  version_m     the lines `go version -m NAME` prints
//	  run           native builds only: {output, printed_version}: what the
//	                binary prints when run with no arguments; null otherwise
//	  scratch       {runs (true, false, or null when the question does not
//	                apply), method ("chroot": actually run alone in an empty
//	                directory with chroot; "derived": from the linking facts;
//	                "not-applicable"), command, output, exit_code, note}
//
// # web/data/toolchain.json (schema "gopherscope/toolchain/1")
//
//	schema          "gopherscope/toolchain/1"
//	go_version      as above
//	tools           [{name ("compile", "link", "nm", "version", "pprof",
//	                "trace"), tool ("go tool compile -S" ...), purpose (one
//	                sentence), command (what was run, as a shell line),
//	                excerpt (output lines, real, unedited except where note
//	                says), note, deterministic (true when the same toolchain
//	                prints the same excerpt on every run)}]
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "buildlab:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: buildlab write | builds ID... | tools NAME...")
	}
	lab, err := newLab()
	if err != nil {
		return err
	}
	defer os.RemoveAll(lab.tmp)
	switch args[0] {
	case "write":
		return lab.write()
	case "builds":
		var out []buildRecord
		for _, id := range args[1:] {
			c, ok := comboByID(id)
			if !ok {
				return fmt.Errorf("no combination %q", id)
			}
			r, err := lab.build(c)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return printJSON(out)
	case "tools":
		var out []toolRecord
		for _, name := range args[1:] {
			r, err := lab.captureTool(name)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return printJSON(out)
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// lab holds what every step needs: the go binary, the directories, the host.
type lab struct {
	goBin     string // the pinned go binary
	dir       string // tests/buildlab, where every build runs
	root      string // the repository root
	tmp       string // scratch space, removed at exit
	goVersion string
	hostOS    string
	hostArch  string
}

func newLab() (*lab, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "programs", "hello", "main.go")); err != nil {
		return nil, fmt.Errorf("run me from tests/buildlab: %v", err)
	}
	goBin := os.Getenv("GOPHERSCOPE_GO")
	if goBin == "" {
		matches, _ := filepath.Glob(filepath.Join(dir, "../../.tools/venv/lib/*/site-packages/go/bin/go"))
		if len(matches) == 0 {
			return nil, fmt.Errorf("no Go toolchain: set GOPHERSCOPE_GO to the pinned go binary")
		}
		goBin = matches[0]
	}
	tmp, err := os.MkdirTemp("", "buildlab-")
	if err != nil {
		return nil, err
	}
	l := &lab{goBin: goBin, dir: dir, root: filepath.Clean(filepath.Join(dir, "../..")), tmp: tmp}
	env, err := l.goOutput(nil, "env", "GOVERSION", "GOHOSTOS", "GOHOSTARCH")
	if err != nil {
		return nil, err
	}
	fields := strings.Fields(env)
	if len(fields) != 3 {
		return nil, fmt.Errorf("unexpected go env output %q", env)
	}
	l.goVersion, l.hostOS, l.hostArch = fields[0], fields[1], fields[2]
	return l, nil
}

// fixedEnv is the environment every go command starts from (recorded in the
// data file): no proxy, no toolchain switch, no workspace, no GOFLAGS.
var fixedEnv = []string{"GOTOOLCHAIN=local", "GOPROXY=off", "GOWORK=off", "GOFLAGS="}

// goEnv is the caller's environment without its Go settings, plus fixedEnv
// and extra. GOCACHE and friends stay, so builds reuse the cache.
func goEnv(extra []string) []string {
	keep := map[string]bool{"GOCACHE": true, "GOMODCACHE": true, "GOPATH": true, "GOTMPDIR": true}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if (strings.HasPrefix(name, "GO") || strings.HasPrefix(name, "CGO_") || name == "CC" || name == "CXX") && !keep[name] {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, fixedEnv...)
	return append(env, extra...)
}

func (l *lab) goCmd(extra []string, args ...string) *exec.Cmd {
	cmd := exec.Command(l.goBin, args...)
	cmd.Dir = l.dir
	cmd.Env = goEnv(extra)
	return cmd
}

// goOutput runs go and returns its standard output; an error carries stderr.
func (l *lab) goOutput(extra []string, args ...string) (string, error) {
	cmd := l.goCmd(extra, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out), nil
}

func (l *lab) write() error {
	explorer, err := l.buildExplorer()
	if err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(l.root, "web/data/build-explorer.json"), explorer); err != nil {
		return err
	}
	toolchain, err := l.toolchain()
	if err != nil {
		return err
	}
	return writeJSON(filepath.Join(l.root, "web/data/toolchain.json"), toolchain)
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return buf.Bytes(), err
}

func printJSON(v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(b)
	return err
}

func writeJSON(path string, v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "wrote", path)
	return os.WriteFile(path, b, 0o644)
}

// lines splits command output into lines, without the trailing empty one.
func lines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}
