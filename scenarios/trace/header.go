package trace

// Header is the first line of a trace (format 2): what was run, by which
// simulator, and the fabric as simulated — enough for a replay to draw the
// network without importing the simulator.
type Header struct {
	Format     string  `json:"format"`              // Format ("netdrill-trace/2")
	Scenario   string  `json:"scenario"`            // the scenario's name
	File       string  `json:"file,omitempty"`      // the scenario file's name
	SHA256     string  `json:"sha256,omitempty"`    // over the scenario and topology bytes
	Seed       uint64  `json:"seed"`                // the engine seed of this run
	Netdrill   string  `json:"netdrill"`            // version of the simulator that wrote it
	DurationNS int64   `json:"duration_ns"`         // the scenario's duration
	Job        string  `json:"job,omitempty"`       // the job's label (sweep case, trial, branch)
	Steps      []Step  `json:"steps,omitempty"`     // extra steps the job added to the scenario
	Fabric     *Fabric `json:"fabric,omitempty"`    // the network as simulated
	Elastic    bool    `json:"elastic,omitempty"`   // bottlenecks shared max-min fairly
	SettleNS   int64   `json:"settle_ns,omitempty"` // the failover settle window
}

// Step is one extra step of a job (a fault or an action), as the job gave it.
type Step struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Target   string `json:"target"`
	AtNS     int64  `json:"at_ns"`
	RepairNS int64  `json:"repair_ns,omitempty"`
}

// Fabric is the network as the simulator built it, in its own order: the
// topology's items plus what the simulator adds (a hub per site, the hub's
// attachments "<site>~<router>" and iBGP sessions, marked Internal).
type Fabric struct {
	Sites      []Site     `json:"sites"`
	Facilities []Facility `json:"facilities"`
	Routers    []Router   `json:"routers"`
	Links      []Link     `json:"links"`
	Sessions   []Session  `json:"sessions"`
	Pools      []Pool     `json:"pools"`
	Tenants    []Tenant   `json:"tenants"`
	Demands    []Demand   `json:"demands"`
}

// Site is a cloud region or network whose prefixes originate at a hub node
// (named like the site) or at core routers.
type Site struct {
	Name     string   `json:"name"`
	Provider string   `json:"provider"`
	ASN      uint32   `json:"asn"`
	Prefixes []string `json:"prefixes"`
	Hub      string   `json:"hub,omitempty"`   // the hub node, when the site is a hub
	Cores    []string `json:"cores,omitempty"` // core routers, when declared
	// BackboneCarrier: the hub sees an edge router's death as carrier loss
	// after BackboneCarrierDelayNS (direct fibre); false: only BFD or the
	// hold timer (a layer-2 service in between).
	BackboneCarrier        bool  `json:"backbone_carrier,omitempty"`
	BackboneCarrierDelayNS int64 `json:"backbone_carrier_delay_ns,omitempty"`
}

// Facility is a building: everything in it fails together.
type Facility struct {
	Name  string   `json:"name"`
	Metro string   `json:"metro,omitempty"`
	SRLGs []string `json:"srlgs,omitempty"`
}

// Router is a BGP speaker (role "edge", "core", or "hub" for a site's hub).
type Router struct {
	Name     string   `json:"name"`
	Site     string   `json:"site"`
	Facility string   `json:"facility,omitempty"`
	Role     string   `json:"role"`
	Profile  string   `json:"profile,omitempty"`
	ASN      uint32   `json:"asn"`
	SRLGs    []string `json:"srlgs,omitempty"`
}

// Link is a circuit between two nodes (a LAG appears once, with its
// members). Internal links are the simulator's site attachments.
type Link struct {
	Name        string   `json:"name"`
	A           string   `json:"a"`
	B           string   `json:"b"`
	CapacityBPS float64  `json:"capacity"`
	LatencyNS   int64    `json:"latency_ns"`
	MACsec      bool     `json:"macsec,omitempty"`
	SRLGs       []string `json:"srlgs,omitempty"`
	Members     []string `json:"members,omitempty"`
	Internal    bool     `json:"internal,omitempty"`
	AdminDown   bool     `json:"admin_down,omitempty"` // declared shut: down from the start until a link-up
}

// Session is a BGP session over a link.
type Session struct {
	Name     string `json:"name"`
	A        string `json:"a"`
	B        string `json:"b"`
	Link     string `json:"link"`
	IBGP     bool   `json:"ibgp,omitempty"`
	BFD      *BFD   `json:"bfd,omitempty"`
	Internal bool   `json:"internal,omitempty"`
}

// BFD is a session's BFD timing.
type BFD struct {
	IntervalNS int64 `json:"interval_ns"`
	Multiplier int   `json:"multiplier"`
}

// Pool is capacity shared by links.
type Pool struct {
	Name        string   `json:"name"`
	CapacityBPS float64  `json:"capacity"`
	Links       []string `json:"links"`
}

// Tenant is background load on pools.
type Tenant struct {
	Name    string   `json:"name"`
	RateBPS float64  `json:"rate"`
	Pools   []string `json:"pools"`
}

// Demand is offered traffic from a site to a site or prefix.
type Demand struct {
	Name    string  `json:"name"`
	From    string  `json:"from"`
	To      string  `json:"to"`
	RateBPS float64 `json:"rate"`
}
