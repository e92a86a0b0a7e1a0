package topology

import (
	"slices"
	"time"
)

// Profile is a provider's defaults for its routers and BGP sessions. Every
// value is overridable in a topology ([defaults.*] or on the item).
//
// Sources are cited from shared/provider-facts.md (section numbers), which
// paraphrases the public documents. "[U]" marks values no provider publishes:
// they are conservative defaults, chosen and documented here.
type Profile struct {
	Name string
	ASN  uint32 // a site's default ASN; 0 = the site must give one

	Keepalive, Hold time.Duration
	ConnectRetry    time.Duration
	EstablishDelay  time.Duration // TCP connect → Established
	MRAIEBGP        time.Duration
	MRAIIBGP        time.Duration

	GracefulRestart        time.Duration // restart time; 0 = off
	GracefulRestartWithBFD bool          // false: GR is off on sessions that run BFD

	BFDEnabled    bool // BFD on by default (a session runs BFD by default only if both ends' profiles enable it)
	BFDInterval   time.Duration
	BFDMultiplier int
	BFDOffloaded  bool // BFD in the data plane (hardware) rather than in the routing process

	MaxPrefix       int           // prefixes accepted per session; 0 = unlimited
	UpdateDelay     time.Duration // processing per UPDATE message
	PrefixDelay     time.Duration // processing per prefix
	FIBInstallDelay time.Duration // per prefix
	BootTime        time.Duration
	MaxPaths        int
}

var profiles = []Profile{
	{
		Name: "aws",
		ASN:  64512, // DXGW Amazon-side default ASN (§2.1 "DXGW Amazon-side ASN")

		Keepalive:      30 * time.Second,  // §2.1 default hold/keepalive 90/30 s
		Hold:           90 * time.Second,  // §2.1
		ConnectRetry:   120 * time.Second, // [U] not published; RFC 4271 §10 ConnectRetryTime (§4.1)
		EstablishDelay: 2 * time.Second,   // [U] conservative default
		MRAIEBGP:       30 * time.Second,  // [U] not published; RFC 4271 eBGP value (§4.1)
		MRAIIBGP:       5 * time.Second,   // [U] not published; RFC 4271 iBGP value (§4.1)

		GracefulRestart:        120 * time.Second, // §2.1 GR timer 120 s
		GracefulRestartWithBFD: false,             // §2.1 AWS advises against GR together with BFD; §5 "off if BFD on"

		BFDEnabled:    true,                   // §2.1 async BFD on automatically on the AWS side
		BFDInterval:   300 * time.Millisecond, // §2.1 min interval 300 ms
		BFDMultiplier: 3,                      // §2.1 min multiplier 3 (≈0.9 s detection)
		BFDOffloaded:  true,                   // [U] provider hardware; DESIGN.md "BFD" (offloaded on provider hardware)

		MaxPrefix:       100,                    // §2.1 routes per BGP session, private VIF: 100
		UpdateDelay:     2 * time.Millisecond,   // [U] conservative default
		PrefixDelay:     100 * time.Microsecond, // [U] conservative default
		FIBInstallDelay: 100 * time.Microsecond, // [U] no provider figure (§3 "FIB programming rate"); 10k prefixes/s
		BootTime:        300 * time.Second,      // [U] conservative default
		MaxPaths:        4,                      // [U] AWS load-balances over equal DX paths (§2.1 active/passive notes); count not published
	},
	{
		Name: "gcp",
		ASN:  16550, // §2.3 Cloud Router ASN on Partner Interconnect [U]

		Keepalive:      20 * time.Second,  // §2.3 keepalive 20 s default
		Hold:           60 * time.Second,  // §2.3 hold = 3 × keepalive
		ConnectRetry:   120 * time.Second, // [U] RFC 4271 value (§4.1)
		EstablishDelay: 2 * time.Second,   // [U] conservative default
		MRAIEBGP:       30 * time.Second,  // [U] RFC 4271 value (§4.1)
		MRAIIBGP:       5 * time.Second,   // [U] RFC 4271 value (§4.1)

		GracefulRestart:        120 * time.Second, // §2.3 supported, timer not published [U]: 120 s like the others
		GracefulRestartWithBFD: true,              // [U] no advice against it found

		BFDEnabled:    false,       // §2.3 session mode default PASSIVE/DISABLED [U]: must be enabled
		BFDInterval:   time.Second, // §2.3 min tx/rx 1000 ms default
		BFDMultiplier: 5,           // §2.3 multiplier 5 default (5 s detection)
		BFDOffloaded:  true,        // [U] provider-managed; DESIGN.md "BFD"

		MaxPrefix:       250,                    // §2.3 learned-route quota default 250 per region [U]
		UpdateDelay:     2 * time.Millisecond,   // [U] conservative default
		PrefixDelay:     100 * time.Microsecond, // [U] conservative default
		FIBInstallDelay: 100 * time.Microsecond, // [U] no provider figure (§3)
		BootTime:        300 * time.Second,      // [U] conservative default
		MaxPaths:        4,                      // [U] Cloud Router uses ECMP over equal routes; count not published
	},
	{
		Name: "azure",
		ASN:  12076, // §2.4 Azure ASN 12076

		Keepalive:      60 * time.Second,  // §2.4 MSEE keepalive 60 s
		Hold:           180 * time.Second, // §2.4 hold 180 s
		ConnectRetry:   120 * time.Second, // [U] RFC 4271 value (§4.1)
		EstablishDelay: 2 * time.Second,   // [U] conservative default
		MRAIEBGP:       30 * time.Second,  // [U] RFC 4271 value (§4.1)
		MRAIIBGP:       5 * time.Second,   // [U] RFC 4271 value (§4.1)

		GracefulRestart:        0,    // [U] not published (§5 "—"): off
		GracefulRestartWithBFD: true, // [U]

		BFDEnabled:    true,                   // §2.4 on by default on MSEE for new peerings
		BFDInterval:   300 * time.Millisecond, // §2.4 MSEE tx/rx 300 ms
		BFDMultiplier: 3,                      // §2.4 example multiplier 3
		BFDOffloaded:  true,                   // [U] provider hardware (MSEE)

		MaxPrefix:       4000,                   // §2.4 private peering routes from on-prem, Standard
		UpdateDelay:     2 * time.Millisecond,   // [U] conservative default
		PrefixDelay:     100 * time.Microsecond, // [U] conservative default
		FIBInstallDelay: 100 * time.Microsecond, // [U] no provider figure (§3)
		BootTime:        300 * time.Second,      // [U] conservative default
		MaxPaths:        2,                      // §2.4 active-active per-flow load balancing over the 2 links
	},
	{
		Name: "oci",
		ASN:  31898, // §2.5 OCI prepends AS 31898

		Keepalive:      60 * time.Second,  // §5 [U] keepalive 60 (hold/3)
		Hold:           180 * time.Second, // §2.5 hold 180 s default
		ConnectRetry:   120 * time.Second, // [U] RFC 4271 value (§4.1)
		EstablishDelay: 2 * time.Second,   // [U] conservative default
		MRAIEBGP:       30 * time.Second,  // [U] RFC 4271 value (§4.1)
		MRAIIBGP:       5 * time.Second,   // [U] RFC 4271 value (§4.1)

		GracefulRestart:        0,    // [U] not published: off
		GracefulRestartWithBFD: true, // [U]

		BFDEnabled:    false,                  // §2.5 BFD per virtual circuit, must be enabled; defaults not published [U]
		BFDInterval:   300 * time.Millisecond, // [U] common vendor value (§4.2)
		BFDMultiplier: 3,                      // [U] common vendor value (§4.2)
		BFDOffloaded:  true,                   // [U] provider hardware

		MaxPrefix:       2000,                   // §2.5 ~2,000 IPv4 per virtual circuit [U]
		UpdateDelay:     2 * time.Millisecond,   // [U] conservative default
		PrefixDelay:     100 * time.Microsecond, // [U] conservative default
		FIBInstallDelay: 100 * time.Microsecond, // [U] no provider figure (§3)
		BootTime:        300 * time.Second,      // [U] conservative default
		MaxPaths:        2,                      // [U] ≥2 routers per FastConnect location (§2.5); count not published
	},
	{
		// generic is a customer's software router (FRR "traditional"
		// defaults): BFD runs in the routing process.
		Name: "generic",
		ASN:  0, // a customer's ASN must be given

		Keepalive:      60 * time.Second,  // §4.2 FRR traditional 60/180 s (also Cisco IOS)
		Hold:           180 * time.Second, // §4.2
		ConnectRetry:   120 * time.Second, // §4.2 FRR 120 s; RFC 4271 §10
		EstablishDelay: time.Second,       // [U] conservative default
		MRAIEBGP:       0,                 // §4.2 FRR 0 s eBGP and iBGP
		MRAIIBGP:       0,                 // §4.2

		GracefulRestart:        0,    // §4.2 FRR: off unless configured (restart 120 s when on)
		GracefulRestartWithBFD: true, // no restriction

		BFDEnabled:    false,                  // §4.2 FRR/Junos/IOS: BFD must be configured
		BFDInterval:   300 * time.Millisecond, // §4.2 FRR 300 ms tx/rx
		BFDMultiplier: 3,                      // §4.2 FRR × 3
		BFDOffloaded:  false,                  // DESIGN.md "BFD": software routers run BFD in the routing process

		MaxPrefix:       0,                      // no limit unless configured
		UpdateDelay:     time.Millisecond,       // [U] conservative default
		PrefixDelay:     50 * time.Microsecond,  // [U] conservative default
		FIBInstallDelay: 200 * time.Microsecond, // [U] §3 no figure; 5k prefixes/s for a software router
		BootTime:        120 * time.Second,      // [U] conservative default (VM boot + daemon start)
		MaxPaths:        1,                      // §4.2 vendor default: no multipath unless configured [U]
	},
}

// Profiles returns the built-in provider profiles, sorted by name.
func Profiles() []Profile {
	out := slices.Clone(profiles)
	slices.SortFunc(out, func(a, b Profile) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out
}

// LookupProfile returns the built-in profile with that name.
func LookupProfile(name string) (Profile, bool) {
	for _, p := range profiles {
		if p.Name == name {
			return p, true
		}
	}
	return Profile{}, false
}

func profileNames() []string {
	var out []string
	for _, p := range Profiles() {
		out = append(out, p.Name)
	}
	return out
}
