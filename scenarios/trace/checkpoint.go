package trace

// Checkpoint is a drill checkpoint as the trace records it (KindCheckpoint).
type Checkpoint struct {
	T         int64
	ID        string
	Narrative string
	Passed    bool
	Measured  []string
}
