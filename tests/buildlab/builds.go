package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// versionFlag is the -X the explorer toggles; both programs print version.
const versionFlag = "-X main.version=1.2.3"

// buildFlags go to every build (see the package comment for why).
var buildFlags = []string{"-trimpath", "-buildvcs=false"}

type program struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	About string `json:"about"`
}

var programs = []program{
	{"hello", "tests/buildlab/programs/hello", "Hello world with fmt: no C code anywhere."},
	{"netserver", "tests/buildlab/programs/netserver",
		"A net/http server that resolves a name with net.LookupHost: on Linux the net package's resolver uses cgo when cgo is on."},
}

type target struct {
	GOOS   string `json:"goos"`
	GOARCH string `json:"goarch"`
	Native bool   `json:"native"`
	// CrossCC is the C compiler a cgo build for this target needs on a
	// linux/amd64 machine (a cross compiler); "" for the native target.
	CrossCC string `json:"cross_cc"`
}

var targets = []target{
	{"linux", "amd64", true, ""},
	{"linux", "arm64", false, "aarch64-linux-gnu-gcc"},
	{"windows", "amd64", false, "x86_64-w64-mingw32-gcc"},
	{"darwin", "arm64", false, "oa64-clang"},
}

// combo is one point of the explorer's grid.
type combo struct {
	prog       program
	target     target
	cgo        bool
	strip      bool
	setVersion bool
}

func (c combo) id() string {
	return fmt.Sprintf("%s.%s-%s.cgo%s.%s.%s", c.prog.Name, c.target.GOOS, c.target.GOARCH,
		pick(c.cgo, "1", "0"), pick(c.strip, "sw", "nosw"), pick(c.setVersion, "x", "nox"))
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func (c combo) ldflags() string {
	var parts []string
	if c.strip {
		parts = append(parts, "-s -w")
	}
	if c.setVersion {
		parts = append(parts, versionFlag)
	}
	return strings.Join(parts, " ")
}

func (c combo) outName() string {
	return c.prog.Name + pick(c.target.GOOS == "windows", ".exe", "")
}

// env is what the build adds to goEnv: the target, cgo, and for a cgo build
// for another machine the cross compiler it needs.
func (c combo) env() []string {
	env := []string{"CGO_ENABLED=" + pick(c.cgo, "1", "0"), "GOOS=" + c.target.GOOS, "GOARCH=" + c.target.GOARCH}
	if c.cgo && !c.target.Native {
		env = append(env, "CC="+c.target.CrossCC)
	}
	return env
}

func (c combo) buildArgs() []string {
	args := append([]string{"build"}, buildFlags...)
	if ld := c.ldflags(); ld != "" {
		args = append(args, "-ldflags="+ld)
	}
	return append(args, "-o", c.outName(), "./programs/"+c.prog.Name)
}

// command is the build as a shell line a learner can paste.
func (c combo) command() string {
	words := append([]string{}, c.env()...)
	words = append(words, "go")
	for _, a := range c.buildArgs() {
		if strings.ContainsAny(a, " ") {
			name, value, _ := strings.Cut(a, "=")
			a = name + `="` + value + `"`
		}
		words = append(words, a)
	}
	return strings.Join(words, " ")
}

// allCombos is the whole grid, in the order the data file lists it.
func allCombos() []combo {
	var out []combo
	for _, p := range programs {
		for _, t := range targets {
			for _, cgo := range []bool{false, true} {
				for _, strip := range []bool{false, true} {
					for _, x := range []bool{false, true} {
						out = append(out, combo{p, t, cgo, strip, x})
					}
				}
			}
		}
	}
	return out
}

func comboByID(id string) (combo, bool) {
	for _, c := range allCombos() {
		if c.id() == id {
			return c, true
		}
	}
	return combo{}, false
}

type buildRecord struct {
	ID         string        `json:"id"`
	Program    string        `json:"program"`
	GOOS       string        `json:"goos"`
	GOARCH     string        `json:"goarch"`
	Native     bool          `json:"native"`
	CgoEnabled bool          `json:"cgo_enabled"`
	Strip      bool          `json:"strip"`
	SetVersion bool          `json:"set_version"`
	Ldflags    string        `json:"ldflags"`
	Command    string        `json:"command"`
	UsesCgo    bool          `json:"uses_cgo"`
	CgoNote    string        `json:"cgo_note"`
	Built      bool          `json:"built"`
	BuildError *string       `json:"build_error"`
	Binary     *binaryRecord `json:"binary"`
	VersionM   []string      `json:"version_m"`
	Run        *runRecord    `json:"run"`
	Scratch    *scratch      `json:"scratch"`
}

type binaryRecord struct {
	SizeBytes   int64    `json:"size_bytes"`
	SHA256      string   `json:"sha256"`
	Format      string   `json:"format"`
	Linking     string   `json:"linking"`
	Interpreter *string  `json:"interpreter"`
	Needed      []string `json:"needed"`
	LinkingNote string   `json:"linking_note"`
	SymbolTable *string  `json:"symbol_table"`
	Symbols     int      `json:"symbols"`
	// DefinedSymbols leaves out imported ones; KeepsSymbols is DefinedSymbols > 0.
	DefinedSymbols int      `json:"defined_symbols"`
	KeepsSymbols   bool     `json:"keeps_symbols"`
	DWARFSections  []string `json:"dwarf_sections"`
	KeepsDWARF     bool     `json:"keeps_dwarf"`
}

type runRecord struct {
	Output         string `json:"output"`
	PrintedVersion string `json:"printed_version"`
}

type scratch struct {
	Runs     *bool  `json:"runs"`
	Method   string `json:"method"`
	Command  string `json:"command"`
	Output   string `json:"output"`
	ExitCode *int   `json:"exit_code"`
	Note     string `json:"note"`
}

type explorerFile struct {
	Schema      string        `json:"schema"`
	GoVersion   string        `json:"go_version"`
	Host        hostInfo      `json:"host"`
	BuildFlags  []string      `json:"build_flags"`
	Env         []string      `json:"env"`
	VersionFlag string        `json:"version_flag"`
	Programs    []program     `json:"programs"`
	Targets     []target      `json:"targets"`
	Notes       []string      `json:"notes"`
	Builds      []buildRecord `json:"builds"`
}

// notes are facts the data shows that a reader could take for mistakes.
var notes = []string{
	"Reproducible: with -trimpath and -buildvcs=false the same toolchain (and, for cgo, the same gcc and libc) " +
		"builds byte-identical binaries; the linker's build ID is a hash of the inputs, so no -buildid= is needed. " +
		"sha256 records this.",
	"go version -m shows no -ldflags line here: with -trimpath, go build leaves -ldflags out of the build " +
		"information, because linker flags can hold machine paths (go.dev/issue/52372). Without -trimpath it " +
		"would show build -ldflags=\"-s -w -X main.version=1.2.3\".",
	"-s -w removes the symbol table and DWARF; on darwin the LC_SYMTAB stays with only the functions imported " +
		"from the system libraries, which the loader needs (defined_symbols is 0).",
	"CGO_ENABLED=1 changes the code only when a package in the build has cgo files: hello has none anywhere, " +
		"netserver has them only on linux (the net resolver). Otherwise only the CGO_ENABLED build setting differs.",
	"Sizes with -X barely change: the linker writes \"1.2.3\" instead of \"dev\" and one more symbol.",
}

type hostInfo struct {
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	CCompiler string `json:"c_compiler"`
}

func (l *lab) buildExplorer() (explorerFile, error) {
	gcc, err := exec.Command("gcc", "--version").Output()
	if err != nil {
		return explorerFile{}, fmt.Errorf("gcc --version: %v (the native cgo builds need gcc)", err)
	}
	f := explorerFile{
		Schema:      "gopherscope/build-explorer/1",
		GoVersion:   l.goVersion,
		Host:        hostInfo{l.hostOS, l.hostArch, lines(string(gcc))[0]},
		BuildFlags:  buildFlags,
		Env:         fixedEnv,
		VersionFlag: versionFlag,
		Programs:    programs,
		Targets:     targets,
		Notes:       notes,
	}
	for _, c := range allCombos() {
		fmt.Fprintln(os.Stderr, "building", c.id())
		r, err := l.build(c)
		if err != nil {
			return f, err
		}
		f.Builds = append(f.Builds, r)
	}
	return f, nil
}

// build builds one combination in a fresh directory and measures it.
func (l *lab) build(c combo) (buildRecord, error) {
	if c.target.Native != (c.target.GOOS == l.hostOS && c.target.GOARCH == l.hostArch) {
		return buildRecord{}, fmt.Errorf("this generator expects to run on linux/amd64, not %s/%s", l.hostOS, l.hostArch)
	}
	r := buildRecord{
		ID: c.id(), Program: c.prog.Name, GOOS: c.target.GOOS, GOARCH: c.target.GOARCH, Native: c.target.Native,
		CgoEnabled: c.cgo, Strip: c.strip, SetVersion: c.setVersion, Ldflags: c.ldflags(), Command: c.command(),
	}
	deps, err := l.goOutput(c.env(), "list", "-deps", "./programs/"+c.prog.Name)
	if err != nil {
		return r, err
	}
	r.UsesCgo = strings.Contains("\n"+deps, "\nruntime/cgo\n")

	dir := filepath.Join(l.tmp, r.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	args := c.buildArgs()
	args[len(args)-2] = filepath.Join(dir, c.outName())
	cmd := l.goCmd(c.env(), args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		// The one failure the explorer expects: cgo for another machine
		// without its C cross compiler. Anything else is a broken generator.
		if !(c.cgo && r.UsesCgo && !c.target.Native) {
			return r, fmt.Errorf("%s: %v\n%s", r.Command, err, out)
		}
		msg := strings.TrimSpace(strings.ReplaceAll(string(out), l.tmp, "$TMP"))
		r.BuildError = &msg
		r.CgoNote = fmt.Sprintf("cgo unavailable: runtime/cgo and the net package's cgo files must be compiled by a C compiler "+
			"for %s/%s (CC=%s), and this machine has none, so go build stops; without CC set it would try the host's gcc, "+
			"which only targets linux/amd64.", c.target.GOOS, c.target.GOARCH, c.target.CrossCC)
		return r, nil
	}
	r.Built = true
	r.CgoNote = cgoNote(c, r.UsesCgo)
	bin := filepath.Join(dir, c.outName())
	if r.Binary, err = measure(bin); err != nil {
		return r, err
	}
	vmCmd := l.goCmd(nil, "version", "-m", c.outName())
	vmCmd.Dir = dir
	vm, err := vmCmd.Output()
	if err != nil {
		return r, fmt.Errorf("go version -m %s: %v", r.ID, err)
	}
	r.VersionM = lines(string(vm))
	if c.target.Native {
		if r.Run, err = runNative(bin); err != nil {
			return r, err
		}
		r.Scratch, err = chrootScratch(bin, filepath.Join(dir, "root"))
	} else {
		r.Scratch = derivedScratch(c.target, r.Binary)
	}
	return r, err
}

func cgoNote(c combo, usesCgo bool) string {
	switch {
	case !c.cgo:
		return "CGO_ENABLED=0: every package is built as pure Go" +
			pick(c.prog.Name == "netserver", ", and the net package uses Go's own DNS resolver.", ".")
	case usesCgo:
		return "CGO_ENABLED=1: runtime/cgo and the net package's cgo resolver are compiled with " +
			pick(c.target.Native, "gcc", c.target.CrossCC) + ", so the binary calls the C library's getaddrinfo."
	case c.prog.Name == "netserver":
		return fmt.Sprintf("CGO_ENABLED=1, but on %s the net package does not use cgo (it calls the system's own libraries "+
			"directly), so no C compiler runs and the code is the same as with CGO_ENABLED=0; only the recorded "+
			"build settings differ.", c.target.GOOS)
	default:
		return "CGO_ENABLED=1, but no package of hello has cgo files, so no C compiler runs and the code is the same " +
			"as with CGO_ENABLED=0; only the recorded build settings differ."
	}
}

func measure(bin string) (*binaryRecord, error) {
	data, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	facts, err := inspectBinary(bin)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", bin, err)
	}
	b := &binaryRecord{
		SizeBytes: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Format: facts.Format,
		Linking: facts.Linking, Needed: facts.Needed, LinkingNote: facts.LinkingNote,
		Symbols: facts.Symbols, DefinedSymbols: facts.Defined, KeepsSymbols: facts.Defined > 0,
		DWARFSections: facts.DWARF, KeepsDWARF: len(facts.DWARF) > 0,
	}
	if facts.Interpreter != "" {
		b.Interpreter = &facts.Interpreter
	}
	if facts.SymbolTable != "" {
		b.SymbolTable = &facts.SymbolTable
	}
	if b.Needed == nil {
		b.Needed = []string{}
	}
	if b.DWARFSections == nil {
		b.DWARFSections = []string{}
	}
	return b, nil
}

// runNative runs the binary with no arguments; both programs then print one
// line ending in their version.
func runNative(bin string) (*runRecord, error) {
	out, err := exec.Command(bin).Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", bin, err)
	}
	text := strings.TrimSpace(string(out))
	_, version, ok := strings.Cut(text, "version ")
	if !ok {
		return nil, fmt.Errorf("%s printed %q, which names no version", bin, text)
	}
	return &runRecord{Output: text, PrintedVersion: version}, nil
}

// chrootScratch copies the binary alone into an empty directory and runs it
// there with chroot(8): the same empty filesystem a FROM scratch image gives.
func chrootScratch(bin, root string) (*scratch, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("the scratch test needs root (it runs chroot)")
	}
	name := "/" + filepath.Base(bin)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(root, name), data, 0o755); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "chroot", root, name)
	cmd.Env = append(os.Environ(), "LC_ALL=C") // chroot's error message, in plain ASCII quotes
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		return nil, fmt.Errorf("chroot %s: %v", name, err)
	}
	runs := code == 0
	s := &scratch{Runs: &runs, Method: "chroot", Command: "chroot EMPTYDIR " + name,
		Output: strings.TrimSpace(out.String()), ExitCode: &code}
	if runs {
		s.Note = "Run alone in an empty directory with chroot: it needs no file besides itself."
	} else {
		s.Note = "Run alone in an empty directory with chroot: the kernel cannot find the dynamic loader it names, so exec fails."
	}
	return s, nil
}

// derivedScratch answers the scratch question for a binary this machine
// cannot run, from its linking facts, and says so.
func derivedScratch(t target, b *binaryRecord) *scratch {
	switch {
	case t.GOOS != "linux":
		return &scratch{Method: "not-applicable", Note: fmt.Sprintf(
			"A scratch image is an empty Linux container; a %s binary needs the %s kernel and its system libraries (%s).",
			t.GOOS, map[string]string{"windows": "Windows", "darwin": "macOS"}[t.GOOS], strings.Join(b.Needed, ", "))}
	case b.Linking == "static":
		runs := true
		return &scratch{Runs: &runs, Method: "derived", Note: fmt.Sprintf(
			"Derived, not run (this machine is not %s/%s): a static ELF with no PT_INTERP and no DT_NEEDED needs no file from the image.",
			t.GOOS, t.GOARCH)}
	default:
		runs := false
		return &scratch{Runs: &runs, Method: "derived", Note: fmt.Sprintf(
			"Derived, not run (this machine is not %s/%s): the kernel would look for %s in the empty image and fail.",
			t.GOOS, t.GOARCH, *b.Interpreter)}
	}
}
