package main

import (
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"fmt"
	"os"
	"sort"
	"strings"
)

// binaryFacts is what the build explorer shows about one executable file,
// read with the standard library's debug/elf, debug/pe and debug/macho.
type binaryFacts struct {
	Format      string   // "ELF", "PE" or "Mach-O"
	Linking     string   // "static" or "dynamic"
	Interpreter string   // ELF PT_INTERP or Mach-O LC_LOAD_DYLINKER; "" when none
	Needed      []string // ELF DT_NEEDED, PE imported DLLs, Mach-O LC_LOAD_DYLIB
	LinkingNote string   // one sentence: what makes it static or dynamic
	SymbolTable string   // where the symbol table lives; "" when stripped
	Symbols     int      // how many entries that table has
	Defined     int      // how many of them name something in this file (not imports)
	DWARF       []string // names of the DWARF sections, empty when none
}

func inspectBinary(path string) (binaryFacts, error) {
	magic := make([]byte, 4)
	f, err := os.Open(path)
	if err != nil {
		return binaryFacts{}, err
	}
	_, err = f.ReadAt(magic, 0)
	f.Close()
	if err != nil {
		return binaryFacts{}, err
	}
	switch {
	case string(magic) == elf.ELFMAG:
		return inspectELF(path)
	case magic[0] == 'M' && magic[1] == 'Z':
		return inspectPE(path)
	default:
		return inspectMachO(path)
	}
}

// isDWARF says whether a section name holds DWARF: .debug_* or .zdebug_* in
// ELF and PE, __debug_* or __zdebug_* in Mach-O's __DWARF segment.
func isDWARF(name string) bool {
	name = strings.TrimLeft(name, "._")
	return strings.HasPrefix(name, "debug_") || strings.HasPrefix(name, "zdebug_")
}

func inspectELF(path string) (binaryFacts, error) {
	f, err := elf.Open(path)
	if err != nil {
		return binaryFacts{}, err
	}
	defer f.Close()
	facts := binaryFacts{Format: "ELF"}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b := make([]byte, p.Filesz)
			if _, err := p.ReadAt(b, 0); err != nil {
				return facts, err
			}
			facts.Interpreter = strings.TrimRight(string(b), "\x00")
		}
	}
	needed, err := f.ImportedLibraries()
	if err != nil {
		return facts, err
	}
	facts.Needed = needed
	if facts.Interpreter == "" && len(needed) == 0 {
		facts.Linking = "static"
		facts.LinkingNote = "No PT_INTERP and no DT_NEEDED: the kernel loads it as is and it needs no other file."
	} else {
		facts.Linking = "dynamic"
		facts.LinkingNote = fmt.Sprintf("PT_INTERP asks the kernel to start %s first, which loads %s (DT_NEEDED).",
			facts.Interpreter, strings.Join(needed, ", "))
	}
	if s := f.Section(".symtab"); s != nil {
		syms, err := f.Symbols()
		if err != nil {
			return facts, err
		}
		facts.SymbolTable = ".symtab"
		facts.Symbols = len(syms)
		for _, s := range syms {
			if s.Section != elf.SHN_UNDEF {
				facts.Defined++
			}
		}
	}
	for _, s := range f.Sections {
		if isDWARF(s.Name) {
			facts.DWARF = append(facts.DWARF, s.Name)
		}
	}
	return facts, nil
}

func inspectPE(path string) (binaryFacts, error) {
	f, err := pe.Open(path)
	if err != nil {
		return binaryFacts{}, err
	}
	defer f.Close()
	facts := binaryFacts{Format: "PE", Linking: "dynamic"}
	// pe.File.ImportedLibraries is not implemented; ImportedSymbols returns
	// "Symbol:DLL" pairs, and the DLLs are what the loader must find.
	syms, err := f.ImportedSymbols()
	if err != nil {
		return facts, err
	}
	dlls := map[string]bool{}
	for _, s := range syms {
		if _, dll, ok := strings.Cut(s, ":"); ok {
			dlls[strings.ToLower(dll)] = true
		}
	}
	for dll := range dlls {
		facts.Needed = append(facts.Needed, dll)
	}
	sort.Strings(facts.Needed)
	facts.LinkingNote = fmt.Sprintf("Every Windows program is dynamically linked to system DLLs: its import table names %s; "+
		"Go needs no C runtime DLL, it loads the rest with LoadLibrary at run time.", strings.Join(facts.Needed, ", "))
	if len(f.Symbols) > 0 {
		facts.SymbolTable = "COFF symbol table"
		facts.Symbols = len(f.Symbols)
		for _, s := range f.Symbols {
			if s.SectionNumber > 0 {
				facts.Defined++
			}
		}
	}
	for _, s := range f.Sections {
		if isDWARF(s.Name) {
			facts.DWARF = append(facts.DWARF, s.Name)
		}
	}
	return facts, nil
}

// lcLoadDylinker is LC_LOAD_DYLINKER, which debug/macho leaves as raw bytes.
const lcLoadDylinker = 0xe

func inspectMachO(path string) (binaryFacts, error) {
	f, err := macho.Open(path)
	if err != nil {
		return binaryFacts{}, err
	}
	defer f.Close()
	facts := binaryFacts{Format: "Mach-O", Linking: "dynamic"}
	for _, l := range f.Loads {
		raw := l.Raw()
		if len(raw) >= 12 && f.ByteOrder.Uint32(raw) == lcLoadDylinker {
			off := f.ByteOrder.Uint32(raw[8:])
			facts.Interpreter = strings.TrimRight(string(raw[off:]), "\x00")
		}
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		return facts, err
	}
	facts.Needed = libs
	facts.LinkingNote = fmt.Sprintf("macOS has no stable system call ABI, so every program is dynamically linked: "+
		"LC_LOAD_DYLINKER names %s, which loads %s (LC_LOAD_DYLIB).", facts.Interpreter, strings.Join(libs, ", "))
	if f.Symtab != nil && len(f.Symtab.Syms) > 0 {
		// With -s the linker keeps LC_SYMTAB for the functions the binary
		// imports from libSystem (Sect 0): the loader needs them.
		facts.SymbolTable = "LC_SYMTAB"
		facts.Symbols = len(f.Symtab.Syms)
		for _, s := range f.Symtab.Syms {
			if s.Sect != 0 {
				facts.Defined++
			}
		}
	}
	for _, s := range f.Sections {
		if isDWARF(s.Name) {
			facts.DWARF = append(facts.DWARF, s.Seg+","+s.Name)
		}
	}
	return facts, nil
}
