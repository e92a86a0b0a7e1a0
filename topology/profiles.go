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
	// RouterNOS: a router profile (a NOS or routing daemon), not a site
	// provider: routers take it with `profile = "…"`.
	RouterNOS bool
	ASN       uint32 // a site's default ASN; 0 = the site must give one

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

	BFDSlack time.Duration // a routing-process BFD's timer slack (detection up to this late); 0 when offloaded

	// Transport and implementation behaviour (DESIGN.md "Transport",
	// "Vendor behaviour").
	SynRetries      int           // TCP SYN retransmissions (RTO 1s, doubling)
	ConnectOnBFDUp  bool          // BFD coming up starts a connect at once
	SendBack        bool          // routes go back to the eBGP peer AS they came from
	SeparateEoR     bool          // End-of-RIB as its own UPDATE
	MRAIJitter      bool          // MRAI × [0.75, 1.0]
	PaceWithdrawals bool          // withdrawals wait for MRAI too
	HoldExpiryDelay time.Duration // hold expiry → teardown processing

	// Backbone: the default attachment of a site's hub to its edge routers
	// (sites of this provider).
	Backbone Backbone

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

		BFDSlack: 0, // offloaded: exact timing

		SynRetries:      6,     // [U] provider stacks not published; Linux tcp_syn_retries default (RFC 6298 RTO 1s, doubling)
		ConnectOnBFDUp:  true,  // [U] not published; the session reconnects as soon as the path is known good
		SendBack:        false, // [U] provider edges are Junos/IOS-XR class routers, which suppress it by default (see junos, iosxr)
		SeparateEoR:     true,  // RFC 4724 §2: End-of-RIB is an UPDATE with no routes [U] that providers follow it
		MRAIJitter:      true,  // RFC 4271 §9.2.1.1 jitter [U] not published
		PaceWithdrawals: false, // RFC 4271 §9.2.1.1: MRAI does not apply to withdrawals [U]
		HoldExpiryDelay: 0,     // [U] not published

		Backbone: providerBackbone(), // [I] direct fibre: see providerBackbone

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

		BFDSlack: 0, // offloaded: exact timing

		SynRetries:      6,     // [U] provider stacks not published; Linux tcp_syn_retries default (RFC 6298 RTO 1s, doubling)
		ConnectOnBFDUp:  true,  // [U] not published; the session reconnects as soon as the path is known good
		SendBack:        false, // [U] provider edges are Junos/IOS-XR class routers, which suppress it by default (see junos, iosxr)
		SeparateEoR:     true,  // RFC 4724 §2: End-of-RIB is an UPDATE with no routes [U] that providers follow it
		MRAIJitter:      true,  // RFC 4271 §9.2.1.1 jitter [U] not published
		PaceWithdrawals: false, // RFC 4271 §9.2.1.1: MRAI does not apply to withdrawals [U]
		HoldExpiryDelay: 0,     // [U] not published

		Backbone: providerBackbone(), // [I] direct fibre: see providerBackbone

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

		BFDSlack: 0, // offloaded: exact timing

		SynRetries:      6,     // [U] provider stacks not published; Linux tcp_syn_retries default (RFC 6298 RTO 1s, doubling)
		ConnectOnBFDUp:  true,  // [U] not published; the session reconnects as soon as the path is known good
		SendBack:        false, // [U] provider edges are Junos/IOS-XR class routers, which suppress it by default (see junos, iosxr)
		SeparateEoR:     true,  // RFC 4724 §2: End-of-RIB is an UPDATE with no routes [U] that providers follow it
		MRAIJitter:      true,  // RFC 4271 §9.2.1.1 jitter [U] not published
		PaceWithdrawals: false, // RFC 4271 §9.2.1.1: MRAI does not apply to withdrawals [U]
		HoldExpiryDelay: 0,     // [U] not published

		Backbone: providerBackbone(), // [I] direct fibre: see providerBackbone

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

		BFDSlack: 0, // offloaded: exact timing

		SynRetries:      6,     // [U] provider stacks not published; Linux tcp_syn_retries default (RFC 6298 RTO 1s, doubling)
		ConnectOnBFDUp:  true,  // [U] not published; the session reconnects as soon as the path is known good
		SendBack:        false, // [U] provider edges are Junos/IOS-XR class routers, which suppress it by default (see junos, iosxr)
		SeparateEoR:     true,  // RFC 4724 §2: End-of-RIB is an UPDATE with no routes [U] that providers follow it
		MRAIJitter:      true,  // RFC 4271 §9.2.1.1 jitter [U] not published
		PaceWithdrawals: false, // RFC 4271 §9.2.1.1: MRAI does not apply to withdrawals [U]
		HoldExpiryDelay: 0,     // [U] not published

		Backbone: providerBackbone(), // [I] direct fibre: see providerBackbone

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

		BFDSlack: 5 * time.Millisecond, // [U] event-loop slack of a routing-process BFD (FRR bfdd); DESIGN.md "Vendor behaviour"

		SynRetries:      6,     // Linux tcp_syn_retries default (FRR on Linux)
		ConnectOnBFDUp:  true,  // FRR bgp_bfd.c: a BFD session coming up starts the peer (BGP_Start)
		SendBack:        true,  // FRR: sender-as-path-loop-detection is off by default (docs.frrouting.org, bgp.html)
		SeparateEoR:     true,  // FRR sends End-of-RIB as an empty UPDATE (RFC 4724 §2)
		MRAIJitter:      false, // FRR: MRAI 0 by default, no jitter [U]
		PaceWithdrawals: false, // RFC 4271 §9.2.1.1 [U] for FRR
		HoldExpiryDelay: 0,     // [U]

		// [U] a customer's site behind edge routers in a colocation: the
		// DC is reached over a carrier's layer-2 service, so an edge
		// router's death is not carrier loss at the core; BFD 300ms × 3
		// (FRR default, provider-facts §4.2) finds it.
		Backbone: Backbone{Carrier: false,
			BFD:       &BFD{Interval: 300 * time.Millisecond, Multiplier: 3},
			Keepalive: 10 * time.Second, Hold: 30 * time.Second, Latency: 100 * time.Microsecond},

		MaxPrefix:       0,                      // no limit unless configured
		UpdateDelay:     time.Millisecond,       // [U] conservative default
		PrefixDelay:     50 * time.Microsecond,  // [U] conservative default
		FIBInstallDelay: 200 * time.Microsecond, // [U] §3 no figure; 5k prefixes/s for a software router
		BootTime:        120 * time.Second,      // [U] conservative default (VM boot + daemon start)
		MaxPaths:        1,                      // §4.2 vendor default: no multipath unless configured [U]
	},
	// Router profiles for common NOSes and daemons (DESIGN.md "Vendor
	// behaviour"). A router takes one with `profile = "junos"`; none gives
	// a site ASN. Sources are the vendors' public documentation (URLs in
	// provider-facts §4.2 where given there); [U] marks assumptions.
	{
		Name:      "junos",
		RouterNOS: true,

		Keepalive:      30 * time.Second,       // §4.2 Junos hold 90 s, keepalive = hold/3
		Hold:           90 * time.Second,       // §4.2 (juniper.net hold-time)
		ConnectRetry:   120 * time.Second,      // [U] not in §4.2; RFC 4271 value
		EstablishDelay: 100 * time.Millisecond, // [U] rpd connects promptly after a reset
		MRAIEBGP:       0,                      // §4.2 no MRAI by default (out-delay 0) [U]
		MRAIIBGP:       0,                      // §4.2 [U]

		GracefulRestart:        120 * time.Second, // §4.2 restart 120 s [U]
		GracefulRestartWithBFD: true,              // [U]

		BFDEnabled:    false,                  // §4.2 no default; minimum-interval must be set
		BFDInterval:   300 * time.Millisecond, // [U] common configuration (§4.2 IOS example)
		BFDMultiplier: 3,                      // [U] Junos default multiplier 3
		BFDOffloaded:  true,                   // [U] single-hop BFD distributed to the line card (ppmd) by default
		BFDSlack:      0,

		SynRetries:      3,     // [U] FreeBSD-based stack: fewer SYN retries than Linux
		ConnectOnBFDUp:  false, // [U] rpd waits for its connect timer
		SendBack:        false, // Junos: routes are not advertised back to the EBGP peer AS unless advertise-peer-as is set (juniper.net advertise-peer-as)
		SeparateEoR:     true,  // RFC 4724 §2 [U]
		MRAIJitter:      false, // no MRAI by default
		PaceWithdrawals: false, // [U]
		HoldExpiryDelay: 0,     // [U]

		Backbone: genericBackbone,

		UpdateDelay:     time.Millisecond,      // [U]
		PrefixDelay:     20 * time.Microsecond, // [U]
		FIBInstallDelay: 50 * time.Microsecond, // [U] hardware FIB, 20k prefixes/s
		BootTime:        600 * time.Second,     // [U] chassis boot
		MaxPaths:        1,                     // multipath off unless configured
	},
	{
		Name:      "iosxr",
		RouterNOS: true,

		Keepalive:      60 * time.Second,       // §4.2 Cisco 60/180 s
		Hold:           180 * time.Second,      // §4.2
		ConnectRetry:   120 * time.Second,      // [U] RFC 4271 value
		EstablishDelay: 100 * time.Millisecond, // [U]
		MRAIEBGP:       30 * time.Second,       // §4.2 Cisco eBGP 30 s [U] for XR
		MRAIIBGP:       0,                      // §4.2 newer Cisco iBGP 0 s [U]

		GracefulRestart:        120 * time.Second, // §4.2 restart 120 s
		GracefulRestartWithBFD: true,              // [U]

		BFDEnabled:    false,                  // §4.2 no default
		BFDInterval:   300 * time.Millisecond, // §4.2 example 300 × 3
		BFDMultiplier: 3,                      // §4.2
		BFDOffloaded:  true,                   // [U] BFD hosted on the line cards
		BFDSlack:      0,

		SynRetries:      6,     // [U]
		ConnectOnBFDUp:  false, // [U]
		SendBack:        false, // [U] IOS-XR checks the peer AS on output (as-path-loopcheck)
		SeparateEoR:     true,  // RFC 4724 §2 [U]
		MRAIJitter:      true,  // RFC 4271 §9.2.1.1 [U]
		PaceWithdrawals: false, // [U]
		HoldExpiryDelay: 0,     // [U]

		Backbone: genericBackbone,

		UpdateDelay:     time.Millisecond,      // [U]
		PrefixDelay:     20 * time.Microsecond, // [U]
		FIBInstallDelay: 50 * time.Microsecond, // [U]
		BootTime:        900 * time.Second,     // [U]
		MaxPaths:        1,
	},
	{
		Name:      "eos",
		RouterNOS: true,

		Keepalive:      60 * time.Second,       // [U] Arista EOS 60/180 s like Cisco
		Hold:           180 * time.Second,      // [U]
		ConnectRetry:   120 * time.Second,      // [U]
		EstablishDelay: 100 * time.Millisecond, // [U]
		MRAIEBGP:       0,                      // [U] EOS sends at once by default
		MRAIIBGP:       0,                      // [U]

		GracefulRestart:        0,    // [U] off unless configured
		GracefulRestartWithBFD: true, // [U]

		BFDEnabled:    false,                  // must be configured
		BFDInterval:   300 * time.Millisecond, // [U] EOS default interval 300 ms
		BFDMultiplier: 3,                      // [U]
		BFDOffloaded:  false,                  // [U] BFD runs on the CPU on many platforms
		BFDSlack:      2 * time.Millisecond,   // [U]

		SynRetries:      6,     // Linux-based EOS: tcp_syn_retries default
		ConnectOnBFDUp:  true,  // [U]
		SendBack:        true,  // [U]
		SeparateEoR:     true,  // RFC 4724 §2 [U]
		MRAIJitter:      false, // [U]
		PaceWithdrawals: false, // [U]
		HoldExpiryDelay: 0,     // [U]

		Backbone: genericBackbone,

		UpdateDelay:     time.Millisecond,      // [U]
		PrefixDelay:     30 * time.Microsecond, // [U]
		FIBInstallDelay: 50 * time.Microsecond, // [U]
		BootTime:        300 * time.Second,     // [U]
		MaxPaths:        1,
	},
	{
		// FRR with its "traditional" defaults (§4.2), the same as generic.
		Name:      "frr",
		RouterNOS: true,

		Keepalive:      60 * time.Second,  // §4.2 FRR traditional 60/180 s
		Hold:           180 * time.Second, // §4.2
		ConnectRetry:   120 * time.Second, // §4.2
		EstablishDelay: time.Second,       // [U]
		MRAIEBGP:       0,                 // §4.2 FRR 0 s
		MRAIIBGP:       0,                 // §4.2

		GracefulRestart:        0,    // §4.2 off unless configured
		GracefulRestartWithBFD: true, // no restriction

		BFDEnabled:    false,                  // §4.2
		BFDInterval:   300 * time.Millisecond, // §4.2 FRR 300 ms
		BFDMultiplier: 3,                      // §4.2
		BFDOffloaded:  false,                  // bfdd is a process
		BFDSlack:      5 * time.Millisecond,   // [U] bfdd event-loop slack

		SynRetries:      6,     // Linux tcp_syn_retries default
		ConnectOnBFDUp:  true,  // FRR bgp_bfd.c: BFD up starts the peer
		SendBack:        true,  // sender-as-path-loop-detection off by default (docs.frrouting.org bgp.html)
		SeparateEoR:     true,  // FRR sends End-of-RIB as an empty UPDATE
		MRAIJitter:      false, // MRAI 0 [U]
		PaceWithdrawals: false, // [U]
		HoldExpiryDelay: 0,     // [U]

		Backbone: genericBackbone,

		UpdateDelay:     time.Millisecond,       // [U]
		PrefixDelay:     50 * time.Microsecond,  // [U]
		FIBInstallDelay: 200 * time.Microsecond, // [U] kernel FIB via zebra
		BootTime:        120 * time.Second,      // [U]
		MaxPaths:        1,                      // [U] FRR builds with multipath 64 but uses 1 unless maximum-paths is set
	},
	{
		Name:      "bird2",
		RouterNOS: true,

		Keepalive:      80 * time.Second,  // BIRD 2 docs: hold time 240 s, keepalive 1/3 of it
		Hold:           240 * time.Second, // bird.network.cz/?get_doc&v=20&f=bird-6.html "hold time"
		ConnectRetry:   120 * time.Second, // BIRD docs "connect retry time" 120 s
		EstablishDelay: 5 * time.Second,   // BIRD docs "connect delay time" 5 s
		MRAIEBGP:       0,                 // BIRD has no MRAI
		MRAIIBGP:       0,

		GracefulRestart:        120 * time.Second, // BIRD docs "graceful restart time" 120 s (aware by default)
		GracefulRestartWithBFD: true,              // [U]

		BFDEnabled:    false,                  // the bfd protocol must be configured
		BFDInterval:   100 * time.Millisecond, // BIRD docs bfd "min tx interval" 100 ms
		BFDMultiplier: 5,                      // BIRD docs bfd "multiplier" 5
		BFDOffloaded:  false,                  // BFD runs inside the bird process
		BFDSlack:      5 * time.Millisecond,   // [U] event-loop slack

		SynRetries:      6,     // Linux tcp_syn_retries default
		ConnectOnBFDUp:  false, // [U] BIRD retries on its connect timers
		SendBack:        false, // BIRD does not export a route to the protocol it came from
		SeparateEoR:     true,  // RFC 4724 §2
		MRAIJitter:      false, // no MRAI
		PaceWithdrawals: false,
		HoldExpiryDelay: 0, // [U]

		Backbone: genericBackbone,

		UpdateDelay:     time.Millisecond,       // [U]
		PrefixDelay:     20 * time.Microsecond,  // [U]
		FIBInstallDelay: 200 * time.Microsecond, // [U] kernel FIB
		BootTime:        60 * time.Second,       // [U]
		MaxPaths:        1,
	},
}

// genericBackbone is the hub attachment of a customer's own site (see the
// generic profile).
var genericBackbone = Backbone{Carrier: false,
	BFD:       &BFD{Interval: 300 * time.Millisecond, Multiplier: 3},
	Keepalive: 10 * time.Second, Hold: 30 * time.Second, Latency: 100 * time.Microsecond}

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

func providerNames() []string {
	var out []string
	for _, p := range Profiles() {
		if !p.RouterNOS {
			out = append(out, p.Name)
		}
	}
	return out
}

// providerBackbone is how a cloud provider's backbone attaches its edge
// routers, the same for every provider profile. [I] provider backbones
// attach edge routers on direct fibre (issue 16, DESIGN.md "The site's
// backbone"): an edge router's death is loss of light at the backbone.
// Carrier delay 10ms [U] (loss-of-signal detection and interface
// debounce). The iBGP session keeps the conservative 300ms × 3 BFD
// (provider-facts §3, the DX figure) and 10/30s timers [U].
func providerBackbone() Backbone {
	return Backbone{Carrier: true, CarrierDelay: 10 * time.Millisecond,
		BFD:       &BFD{Interval: 300 * time.Millisecond, Multiplier: 3},
		Keepalive: 10 * time.Second, Hold: 30 * time.Second, Latency: 100 * time.Microsecond}
}
