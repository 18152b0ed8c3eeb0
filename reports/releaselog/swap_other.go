//go:build !linux

package releaselog

// exchangeDirs is not available outside Linux: replaceDir renames the old site aside instead.
func exchangeDirs(a, b string) error { return errExchangeUnsupported }
