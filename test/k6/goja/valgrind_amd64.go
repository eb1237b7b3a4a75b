package main

func valgrindRequest(args *[6]uint64) uint64
