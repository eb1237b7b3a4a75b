package main

import (
	"runtime"
	"unsafe"
)

// Callgrind's client requests (callgrind.h): under `valgrind --tool=callgrind
// --collect-atstart=no`, each timed loop is counted on its own and dumped as a part named after
// it ("Trigger: Client Request: pull"), so its instruction count per event is exact and
// repeatable (run with GOGC=off GODEBUG=asyncpreemptoff=1: callgrind does not survive Go's
// preemption signals). Outside valgrind these are no-ops.
const callgrindBase = uint64('C')<<24 | uint64('T')<<16

const (
	callgrindDumpStatsAt   = callgrindBase + 3
	callgrindZeroStats     = callgrindBase + 1
	callgrindToggleCollect = callgrindBase + 2
)

func callgrindRequest(req uint64, arg uint64) {
	args := [6]uint64{req, arg}
	valgrindRequest(&args)
}

// callgrindCount counts the instructions of f alone and dumps them under name. Callgrind's
// collect switch is per thread: the goroutine stays on its thread meanwhile.
func callgrindCount(name string, f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	label := append([]byte(name), 0)
	callgrindRequest(callgrindZeroStats, 0)
	callgrindRequest(callgrindToggleCollect, 0)
	f()
	callgrindRequest(callgrindToggleCollect, 0)
	callgrindRequest(callgrindDumpStatsAt, uint64(uintptr(unsafe.Pointer(&label[0]))))
}
