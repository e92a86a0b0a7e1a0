//go:build !linux

package scenarios

import "errors"

// exchange is not atomic here: Commit falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
