package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

type toolRecord struct {
	Name          string   `json:"name"`
	Tool          string   `json:"tool"`
	Purpose       string   `json:"purpose"`
	Command       string   `json:"command"`
	Excerpt       []string `json:"excerpt"`
	Note          string   `json:"note"`
	Deterministic bool     `json:"deterministic"`
}

type toolchainFile struct {
	Schema    string       `json:"schema"`
	GoVersion string       `json:"go_version"`
	Programs  []string     `json:"programs"`
	Tools     []toolRecord `json:"tools"`
}

// toolNames is the order of the toolchain page.
var toolNames = []string{"compile", "link", "nm", "version", "pprof", "trace"}

func (l *lab) toolchain() (toolchainFile, error) {
	f := toolchainFile{
		Schema:    "gopherscope/toolchain/1",
		GoVersion: l.goVersion,
		Programs:  []string{"tests/buildlab/programs/hello", "tests/buildlab/programs/busy"},
	}
	for _, name := range toolNames {
		fmt.Fprintln(os.Stderr, "capturing", name)
		r, err := l.captureTool(name)
		if err != nil {
			return f, err
		}
		f.Tools = append(f.Tools, r)
	}
	return f, nil
}

func (l *lab) captureTool(name string) (toolRecord, error) {
	switch name {
	case "compile":
		return l.captureCompile()
	case "link":
		return l.captureLink()
	case "nm":
		return l.captureNm()
	case "version":
		return l.captureVersion()
	case "pprof":
		return l.capturePprof()
	case "trace":
		return l.captureTrace()
	}
	return toolRecord{}, fmt.Errorf("no tool %q (have %s)", name, strings.Join(toolNames, ", "))
}

// outputIn runs go in dir and returns stdout; an error carries stderr.
func (l *lab) outputIn(dir string, args ...string) (string, error) {
	cmd := l.goCmd([]string{"CGO_ENABLED=0"}, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if exit, ok := err.(*exec.ExitError); ok {
			msg = string(exit.Stderr)
		}
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	return string(out), nil
}

func (l *lab) captureCompile() (toolRecord, error) {
	dir := filepath.Join(l.dir, "programs/busy")
	out, err := l.outputIn(dir, "tool", "compile", "-S", "-trimpath="+dir, "-o", os.DevNull, "sum.go")
	if err != nil {
		return toolRecord{}, err
	}
	var excerpt []string
	for _, line := range lines(out) {
		if len(excerpt) == 0 && !strings.HasPrefix(line, "main.sum STEXT") {
			continue
		}
		excerpt = append(excerpt, line)
		if strings.Contains(line, "\tRET") {
			break
		}
	}
	if len(excerpt) == 0 {
		return toolRecord{}, fmt.Errorf("go tool compile -S printed no main.sum")
	}
	return toolRecord{
		Name: "compile", Tool: "go tool compile -S",
		Purpose: "Shows the assembly the compiler makes of each function, so you can see what a line of Go becomes: " +
			"registers, loops, bounds checks, what was inlined.",
		Command: "cd tests/buildlab/programs/busy && go tool compile -S -trimpath=$PWD -o /dev/null sum.go",
		Excerpt: excerpt,
		Note: "The text of main.sum, from its header to RET; the hex dump and the data symbols printed after it are " +
			"left out. (go build -gcflags=-S prints the same for a whole package.)",
		Deterministic: true,
	}, nil
}

// helloBuild builds hello (native, CGO_ENABLED=0, no ldflags) with go build
// -x once, for the link, nm and version captures; it returns the binary's
// directory and the -x log.
func (l *lab) helloBuild() (string, string, error) {
	dir := filepath.Join(l.tmp, "toolchain-hello")
	if log, err := os.ReadFile(filepath.Join(dir, "build-x.log")); err == nil {
		return dir, string(log), nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	// A first build puts package main in the build cache, so that the -x
	// log always shows the same thing: the link reading it from $GOCACHE
	// (after a fresh compile it would read $WORK/b001/_pkg_.a instead).
	var out []byte
	for _, x := range []bool{false, true} {
		args := append([]string{"build"}, buildFlags...)
		if x {
			args = append(args, "-x", "-o", filepath.Join(dir, "hello"))
		} else {
			args = append(args, "-o", filepath.Join(dir, "warm-up"))
		}
		args = append(args, "./programs/hello")
		var err error
		if out, err = l.goCmd([]string{"CGO_ENABLED=0"}, args...).CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return dir, string(out), os.WriteFile(filepath.Join(dir, "build-x.log"), out, 0o644)
}

func (l *lab) captureLink() (toolRecord, error) {
	dir, log, err := l.helloBuild()
	if err != nil {
		return toolRecord{}, err
	}
	env, err := l.goOutput(nil, "env", "GOROOT", "GOCACHE")
	if err != nil {
		return toolRecord{}, err
	}
	paths := lines(env)
	var work string
	for _, line := range lines(log) {
		if v, ok := strings.CutPrefix(line, "WORK="); ok {
			work = v
		}
	}
	if work == "" {
		return toolRecord{}, fmt.Errorf("go build -x printed no WORK= line")
	}
	shorten := strings.NewReplacer(work, "$WORK", paths[0], "$GOROOT", paths[1], "$GOCACHE", dir, ".", l.dir, ".")
	var excerpt []string
	packagefiles, skipped := 0, 0
	for _, line := range lines(log) {
		if len(excerpt) == 0 && !strings.Contains(line, "importcfg.link") {
			continue
		}
		if strings.HasPrefix(line, "packagefile ") {
			if packagefiles++; packagefiles > 3 {
				skipped++
				continue
			}
		}
		excerpt = append(excerpt, shorten.Replace(line))
		if strings.HasPrefix(line, "mv ") {
			break
		}
	}
	if len(excerpt) == 0 || !strings.Contains(strings.Join(excerpt, "\n"), "/link -o") {
		return toolRecord{}, fmt.Errorf("go build -x printed no link step")
	}
	return toolRecord{
		Name: "link", Tool: "go tool link",
		Purpose: "Joins the compiled packages into one executable: lays out code and data, writes the symbol table, " +
			"DWARF and the build information, and applies -ldflags such as -s, -w and -X. go build runs it last.",
		Command: "CGO_ENABLED=0 go build -trimpath -buildvcs=false -x -o hello ./programs/hello",
		Excerpt: excerpt,
		Note: fmt.Sprintf("The link step of go build -x, from the linker's import config to moving a.out into place. "+
			"Paths are shortened to $WORK, $GOROOT and $GOCACHE, and %d more packagefile lines are left out. "+
			"The modinfo line is the build information go version -m reads back.", skipped),
		Deterministic: true,
	}, nil
}

func (l *lab) captureNm() (toolRecord, error) {
	dir, _, err := l.helloBuild()
	if err != nil {
		return toolRecord{}, err
	}
	out, err := l.outputIn(dir, "tool", "nm", "-size", "-sort", "address", "hello")
	if err != nil {
		return toolRecord{}, err
	}
	var excerpt []string
	for _, line := range lines(out) {
		if strings.Contains(line, " main.") {
			excerpt = append(excerpt, line)
		}
	}
	return toolRecord{
		Name: "nm", Tool: "go tool nm",
		Purpose: "Lists the symbols of a binary or object file: address, size, kind (T code, D data, R read-only, " +
			"B zeroed data) and name. It finds nothing in a binary linked with -s.",
		Command:       `go tool nm -size -sort address hello | grep ' main\.'`,
		Excerpt:       excerpt,
		Note:          "Only the symbols of package main; main.version is the string variable -X sets.",
		Deterministic: true,
	}, nil
}

func (l *lab) captureVersion() (toolRecord, error) {
	dir, _, err := l.helloBuild()
	if err != nil {
		return toolRecord{}, err
	}
	out, err := l.outputIn(dir, "version", "-m", "hello")
	if err != nil {
		return toolRecord{}, err
	}
	return toolRecord{
		Name: "version", Tool: "go version -m",
		Purpose: "Reads the build information every Go binary carries: the Go version, the main module and its " +
			"dependencies, and the build settings (flags, GOOS, GOARCH, CGO_ENABLED).",
		Command:       "go version -m hello",
		Excerpt:       lines(out),
		Note:          "The whole output. The build explorer shows it for every combination.",
		Deterministic: true,
	}, nil
}

// busyRun builds the busy program and runs it once, writing cpu.pprof and
// trace.out; it returns the directory holding all three.
func (l *lab) busyRun() (string, error) {
	dir := filepath.Join(l.tmp, "toolchain-busy")
	if _, err := os.Stat(filepath.Join(dir, "trace.out")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	args := append(append([]string{"build"}, buildFlags...), "-o", filepath.Join(dir, "busy"), "./programs/busy")
	if _, err := l.goOutput([]string{"CGO_ENABLED=0"}, args...); err != nil {
		return "", err
	}
	cmd := exec.Command("./busy", "-cpuprofile", "cpu.pprof", "-trace", "trace.out")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("busy: %v\n%s", err, out)
	}
	return dir, nil
}

func (l *lab) capturePprof() (toolRecord, error) {
	dir, err := l.busyRun()
	if err != nil {
		return toolRecord{}, err
	}
	out, err := l.outputIn(dir, "tool", "pprof", "-top", "-nodecount=8", "busy", "cpu.pprof")
	if err != nil {
		return toolRecord{}, err
	}
	return toolRecord{
		Name: "pprof", Tool: "go tool pprof",
		Purpose: "Reads a profile, here the CPU samples the runtime took 100 times a second, and shows which " +
			"functions the time went to, as a table, a graph or a web page.",
		Command:       "./busy -cpuprofile cpu.pprof -trace trace.out && go tool pprof -top -nodecount=8 busy cpu.pprof",
		Excerpt:       lines(out),
		Note:          "The whole output. flat is time in the function itself, cum includes what it calls.",
		Deterministic: false,
	}, nil
}

func (l *lab) captureTrace() (toolRecord, error) {
	dir, err := l.busyRun()
	if err != nil {
		return toolRecord{}, err
	}
	out, err := l.outputIn(dir, "tool", "trace", "-d=parsed", "trace.out")
	if err != nil {
		return toolRecord{}, err
	}
	var excerpt []string
	for _, line := range lines(out) {
		// Stack traces come as a label line ("Stack=", "TransitionStack=")
		// followed by indented frames.
		if line == "" || strings.HasPrefix(line, "\t") || strings.HasSuffix(line, "Stack=") {
			continue
		}
		if excerpt = append(excerpt, line); len(excerpt) == 14 {
			break
		}
	}
	return toolRecord{
		Name: "trace", Tool: "go tool trace",
		Purpose: "Reads an execution trace: every time a goroutine starts, blocks, makes a system call, or the GC " +
			"runs, with nanosecond timestamps; it shows them as a timeline in the browser, and -d prints them as text.",
		Command:       `go tool trace -d=parsed trace.out | grep -v '^\s\|Stack=$\|^$' | head -14`,
		Excerpt:       excerpt,
		Note:          "The first events of the busy program's trace, without their stack traces.",
		Deterministic: false,
	}, nil
}
