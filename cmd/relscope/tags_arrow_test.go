//go:build duckdb_arrow

package main

// arrowBuild: this test binary, and the relscope it builds, use ingest's Arrow table writers.
const arrowBuild = true
