// sum is the tiny function whose assembly the toolchain page shows
// (go tool compile -S sum.go). It imports nothing, so the compiler can
// build this file alone.
package main

// sum adds up xs.
func sum(xs []int) int {
	s := 0
	for _, x := range xs {
		s += x
	}
	return s
}
