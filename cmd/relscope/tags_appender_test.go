//go:build !duckdb_arrow

package main

// arrowBuild: this test binary, and the relscope it builds, use DuckDB's Appender.
const arrowBuild = false
