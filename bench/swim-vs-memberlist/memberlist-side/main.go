// The memberlist side of `npm run bench:swim-vs-memberlist`: N memberlist members in one process on
// loopback, measured the way bench/swim-vs-memberlist.ts measures Alice's agents. Prints one JSON
// object on stdout. Built in GOPATH mode against Debian's golang-github-hashicorp-memberlist-dev.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/memberlist"
)

// counting wraps a member's transport so its sent datagrams and bytes can be read, as Alice's
// packets_out_total and bytes_out_total metrics count them (UDP only; streams are counted apart).
type counting struct {
	memberlist.Transport
	packets, bytes, streamBytes *int64
}

func (c counting) WriteTo(b []byte, addr string) (time.Time, error) {
	atomic.AddInt64(c.packets, 1)
	atomic.AddInt64(c.bytes, int64(len(b)))
	return c.Transport.WriteTo(b, addr)
}

type countedConn struct {
	net.Conn
	n *int64
}

func (c countedConn) Write(b []byte) (int, error) {
	k, err := c.Conn.Write(b)
	atomic.AddInt64(c.n, int64(k))
	return k, err
}

func (c counting) DialTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	conn, err := c.Transport.DialTimeout(addr, timeout)
	if err != nil {
		return nil, err
	}
	return countedConn{conn, c.streamBytes}, nil
}

// deaths records, per observer, when it first declared a member dead (NotifyLeave after a crash).
type deaths struct {
	mu   sync.Mutex
	seen map[string]map[string]time.Time // member -> observer -> time
}

func (d *deaths) mark(observer, member string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	m := d.seen[member]
	if m == nil {
		m = map[string]time.Time{}
		d.seen[member] = m
	}
	if _, ok := m[observer]; !ok {
		m[observer] = time.Now()
	}
}

func (d *deaths) of(member string) map[string]time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string]time.Time{}
	for k, v := range d.seen[member] {
		out[k] = v
	}
	return out
}

type events struct {
	self  string
	d     *deaths
	trace *tracer
}

// tracer (-trace) writes, on stderr and in ms since the start, each member's own log lines about
// suspicion and death ("Suspect … has failed", "Marking … as failed") and every NotifyLeave, so a
// death taken from gossip (a NotifyLeave with no "Marking" line of the same member) can be told
// from one declared by the member's own suspicion timer.
type tracer struct {
	t0   time.Time
	self string
}

var traceMu sync.Mutex

func (t tracer) line(s string) {
	traceMu.Lock()
	defer traceMu.Unlock()
	fmt.Fprintf(os.Stderr, "%d %s %s\n", time.Since(t.t0).Milliseconds(), t.self, s)
}

func (t tracer) Write(b []byte) (int, error) {
	s := strings.TrimSpace(string(b))
	if strings.Contains(s, "Suspect") || strings.Contains(s, "Marking") {
		t.line(s)
	}
	return len(b), nil
}

func (e events) NotifyJoin(*memberlist.Node)   {}
func (e events) NotifyUpdate(*memberlist.Node) {}
func (e events) NotifyLeave(n *memberlist.Node) {
	e.d.mark(e.self, n.Name)
	if e.trace != nil {
		e.trace.line("failed " + n.Name)
	}
}

type result struct {
	Impl            string    `json:"impl"`
	N               int       `json:"n"`
	ProbeIntervalMs int       `json:"probeIntervalMs"`
	JoinMs          float64   `json:"joinMs"`
	Joined          bool      `json:"joined"`
	SteadySeconds   float64   `json:"steadySeconds"`
	BytesPerNodeSec float64   `json:"bytesPerNodePerSec"`
	PktsPerNodeSec  float64   `json:"packetsPerNodePerSec"`
	TCPBytesPerSec  float64   `json:"tcpBytesPerNodePerSec"`
	DetectMs        []float64 `json:"detectMs"`
	Observers       int       `json:"observers"`
	FalseDeaths     int       `json:"falseDeaths"`
}

func main() {
	n := flag.Int("n", 10, "members")
	interval := flag.Duration("interval", time.Second, "probe interval")
	timeout := flag.Duration("timeout", 500*time.Millisecond, "probe timeout")
	basePort := flag.Int("port", 17000, "first port; member i binds port+i")
	steady := flag.Duration("steady", 8*time.Second, "steady-traffic window")
	detectCap := flag.Duration("detect-cap", 15*time.Second, "give up waiting for one crash's detection after this")
	crashes := flag.Int("crashes", 3, "members killed one after another")
	trace := flag.Bool("trace", false, "suspicions and deaths on stderr, ms since the start")
	flag.Parse()

	d := &deaths{seen: map[string]map[string]time.Time{}}
	var packets, bytes, streamBytes int64
	members := make([]*memberlist.Memberlist, *n)
	start := time.Now()
	for i := 0; i < *n; i++ {
		cfg := memberlist.DefaultLANConfig()
		cfg.Name = fmt.Sprintf("n%d", i+1)
		cfg.BindAddr = "127.0.0.1"
		cfg.AdvertiseAddr = "127.0.0.1"
		cfg.BindPort = *basePort + i
		cfg.AdvertisePort = *basePort + i
		cfg.ProbeInterval = *interval
		cfg.ProbeTimeout = *timeout
		cfg.LogOutput = io.Discard
		var tr *tracer
		if *trace {
			tr = &tracer{start, cfg.Name}
			cfg.LogOutput = tr
		}
		cfg.Events = events{cfg.Name, d, tr}
		nt, err := memberlist.NewNetTransport(&memberlist.NetTransportConfig{
			BindAddrs: []string{"127.0.0.1"},
			BindPort:  cfg.BindPort,
			Logger:    log.New(io.Discard, "", 0),
		})
		if err != nil {
			fail("transport %s: %v", cfg.Name, err)
		}
		cfg.Transport = counting{nt, &packets, &bytes, &streamBytes}
		m, err := memberlist.Create(cfg)
		if err != nil {
			fail("create %s: %v", cfg.Name, err)
		}
		members[i] = m
		if i > 0 {
			if _, err := m.Join([]string{fmt.Sprintf("127.0.0.1:%d", *basePort)}); err != nil {
				fail("join %s: %v", cfg.Name, err)
			}
		}
	}
	joined := waitUntil(30*time.Second, func() bool {
		for _, m := range members {
			if m.NumMembers() != *n {
				return false
			}
		}
		return true
	})
	res := result{Impl: "memberlist", N: *n, ProbeIntervalMs: int(*interval / time.Millisecond), Joined: joined}
	res.JoinMs = ms(time.Since(start))

	time.Sleep(time.Second)
	p0, b0, s0 := atomic.LoadInt64(&packets), atomic.LoadInt64(&bytes), atomic.LoadInt64(&streamBytes)
	t0 := time.Now()
	time.Sleep(*steady)
	secs := time.Since(t0).Seconds()
	per := float64(*n) * secs
	res.SteadySeconds = secs
	res.PktsPerNodeSec = float64(atomic.LoadInt64(&packets)-p0) / per
	res.BytesPerNodeSec = float64(atomic.LoadInt64(&bytes)-b0) / per
	res.TCPBytesPerSec = float64(atomic.LoadInt64(&streamBytes)-s0) / per

	// Crashes, one after another: the last members stop without a leave message. Detections of all
	// crashes are pooled; one crash alone mostly measures where the probe round happened to be.
	crashed := map[string]bool{}
	for j := 0; j < *crashes; j++ {
		name := fmt.Sprintf("n%d", *n-j)
		crashed[name] = true
		crashAt := time.Now()
		if *trace {
			tracer{start, "-"}.line("kill " + name)
		}
		if err := members[*n-1-j].Shutdown(); err != nil {
			fail("shutdown: %v", err)
		}
		expect := *n - 1 - j
		res.Observers += expect
		waitUntil(*detectCap, func() bool { return len(d.of(name)) >= expect })
		for obs, at := range d.of(name) {
			if !crashed[obs] && at.After(crashAt) {
				res.DetectMs = append(res.DetectMs, ms(at.Sub(crashAt)))
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	sort.Float64s(res.DetectMs)
	d.mu.Lock()
	for member, obs := range d.seen {
		if !crashed[member] {
			res.FalseDeaths += len(obs)
		}
	}
	d.mu.Unlock()
	for _, m := range members[:*n-*crashes] {
		_ = m.Shutdown()
	}
	_ = json.NewEncoder(os.Stdout).Encode(res)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func waitUntil(limit time.Duration, cond func() bool) bool {
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		if cond() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return cond()
}

func fail(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "memberlist-side: "+format+"\n", a...)
	os.Exit(1)
}
