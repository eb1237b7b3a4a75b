#include "textflag.h"

// func valgrindRequest(args *[6]uint64) uint64
// Valgrind's client-request preamble (valgrind.h, amd64): a no-op outside valgrind.
TEXT ·valgrindRequest(SB), NOSPLIT, $0-16
	MOVQ args+0(FP), AX
	MOVQ $0, DX
	ROLQ $3, DI
	ROLQ $13, DI
	ROLQ $61, DI
	ROLQ $51, DI
	XCHGQ BX, BX
	MOVQ DX, ret+8(FP)
	RET
