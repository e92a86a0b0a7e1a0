package topology

import (
	"fmt"
	"os"
	"strings"
)

// Options change how a topology is read.
type Options struct {
	// RouterProfile, when set, is the profile of every router of a
	// customer's site (provider "generic") that names none: the same
	// design run as if the customer's routers ran another NOS or daemon
	// (`netdrill compare --profiles frr,bird2,junos`). Provider routers
	// keep their provider's profile.
	RouterProfile string
}

// Check reports an unknown router profile.
func (o Options) Check() error {
	if o.RouterProfile == "" {
		return nil
	}
	if _, ok := LookupProfile(o.RouterProfile); !ok {
		return fmt.Errorf("unknown router profile %q: want one of %s", o.RouterProfile, strings.Join(profileNames(), ", "))
	}
	return nil
}

// LoadWith is Load with options.
func LoadWith(path string, opt Options) (*Topology, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ErrorList{Errors: []*Error{{File: path, Msg: err.Error()}}}
	}
	return ParseWith(path, data, opt)
}
