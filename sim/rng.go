package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// Streams hands out named random streams derived from one seed. Each name
// gets its own PCG generator seeded from (seed, hash(name)), so drawing from
// one stream never changes the values another stream produces, and adding a
// new consumer does not perturb existing ones.
//
// Streams is not safe for concurrent use; each engine owns one.
type Streams struct {
	seed    uint64
	streams map[string]*rand.Rand
}

// NewStreams returns the stream family for seed.
func NewStreams(seed uint64) *Streams {
	return &Streams{seed: seed, streams: make(map[string]*rand.Rand)}
}

// Seed returns the seed the family was created with.
func (s *Streams) Seed() uint64 { return s.seed }

// Stream returns the generator for name, creating it on first use. The same
// name always yields the same sequence for the same seed.
func (s *Streams) Stream(name string) *rand.Rand {
	if r, ok := s.streams[name]; ok {
		return r
	}
	r := rand.New(s.Source(name))
	s.streams[name] = r
	return r
}

// Source returns a fresh PCG source for name (not cached): useful when a
// consumer needs a rand.Source, for example gonum's distuv distributions
// (set their Src from here; never leave it nil).
func (s *Streams) Source(name string) *rand.PCG {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.NewPCG(s.seed, h.Sum64())
}
