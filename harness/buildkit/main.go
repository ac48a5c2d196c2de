// Command buildkit-check parses, lints and converts Dockerfiles to LLB with
// BuildKit's own Dockerfile frontend, for each target platform, without a
// daemon or a registry. It prints one JSON line per problem and exits 1 when
// there is any.
//
// Usage: buildkit-check -platforms linux/amd64,linux/arm64 [-allow-image REF]... FILE...
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/containerd/platforms"
	"github.com/distribution/reference"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// stubResolver answers image lookups with a minimal config, so conversion
// needs no registry. With an allow-list, any other reference is an error
// (a COPY --from of an unknown stage is looked up as an image).
type stubResolver struct{ allowed map[string]bool }

func (r stubResolver) ResolveImageConfig(_ context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	if len(r.allowed) > 0 && !r.allowed[ref] {
		return "", "", nil, fmt.Errorf("image %q is not a stage of this Dockerfile nor an allowed base image", ref)
	}
	p := platforms.DefaultSpec()
	if opt.Platform != nil {
		p = *opt.Platform
	}
	cfg := map[string]any{
		"architecture": p.Architecture,
		"os":           p.OS,
		"variant":      p.Variant,
		"rootfs":       map[string]any{"type": "layers", "diff_ids": []string{}},
		"config":       map[string]any{"Env": []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
	}
	dt, err := json.Marshal(cfg)
	if err != nil {
		return "", "", nil, err
	}
	return ref, digest.FromBytes(dt), dt, nil
}

type problem struct {
	File     string `json:"file"`
	Platform string `json:"platform,omitempty"`
	Target   string `json:"target,omitempty"`
	Kind     string `json:"kind"`
	Message  string `json:"message"`
}

func main() {
	var allow listFlag
	platformList := flag.String("platforms", "linux/amd64,linux/arm64", "comma-separated target platforms")
	flag.Var(&allow, "allow-image", "an image reference the Dockerfile may use (repeatable; none = any)")
	flag.Parse()
	allowed := map[string]bool{}
	for _, a := range allow {
		named, err := reference.ParseNormalizedNamed(a)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bad image reference %q: %v\n", a, err)
			os.Exit(2)
		}
		allowed[reference.TagNameOnly(named).String()] = true
	}
	var targets []ocispecs.Platform
	for _, p := range strings.Split(*platformList, ",") {
		spec, err := platforms.Parse(p)
		if err != nil {
			fmt.Fprintf(os.Stderr, "bad platform %q: %v\n", p, err)
			os.Exit(2)
		}
		targets = append(targets, platforms.Normalize(spec))
	}
	build := []ocispecs.Platform{platforms.Normalize(platforms.MustParse("linux/amd64"))}
	enc := json.NewEncoder(os.Stdout)
	count := 0
	report := func(p problem) { count++; _ = enc.Encode(p) }
	ctx := context.Background()

	for _, file := range flag.Args() {
		dt, err := os.ReadFile(file)
		if err != nil {
			report(problem{File: file, Kind: "read", Message: err.Error()})
			continue
		}
		sourceMap := llb.NewSourceMap(nil, file, "Dockerfile", dt)
		if sourceMap.Definition, err = llb.Scratch().Marshal(ctx); err != nil {
			report(problem{File: file, Kind: "internal", Message: err.Error()})
			continue
		}
		// The same checks as `docker build --check`, over every stage.
		lint, err := dockerfile2llb.DockerfileLint(ctx, dt, dockerfile2llb.ConvertOpt{
			Config:       dockerui.Config{BuildPlatforms: build, TargetPlatforms: targets, MultiPlatformRequested: len(targets) > 1},
			MetaResolver: stubResolver{allowed},
			SourceMap:    sourceMap,
		})
		if err != nil {
			report(problem{File: file, Kind: "lint", Message: err.Error()})
		} else {
			for _, w := range lint.Warnings {
				report(problem{File: file, Kind: "lint", Message: w.RuleName + ": " + w.Detail})
			}
			if lint.Error != nil {
				report(problem{File: file, Kind: "lint", Message: lint.Error.Message})
			}
		}
		for _, msg := range undeclaredPlatformArgs(dt) {
			report(problem{File: file, Kind: "platform-arg", Message: msg})
		}
		list, err := dockerfile2llb.ListTargets(ctx, dt)
		if err != nil {
			report(problem{File: file, Kind: "parse", Message: err.Error()})
			continue
		}
		names := []string{""}
		for _, t := range list.Targets {
			if t.Name != "" {
				names = append(names, t.Name)
			}
		}
		// Convert every stage, for each target platform, to LLB and marshal it.
		for _, tp := range targets {
			for _, name := range names {
				platform := tp
				warn := func(rule, _ string, _ string, msg string, _ []parser.Range) {
					report(problem{File: file, Platform: platforms.Format(platform), Target: name, Kind: "warning", Message: rule + ": " + msg})
				}
				st, _, _, _, err := dockerfile2llb.Dockerfile2LLB(ctx, dt, dockerfile2llb.ConvertOpt{
					Config:         dockerui.Config{Target: name, BuildPlatforms: build, TargetPlatforms: []ocispecs.Platform{platform}},
					TargetPlatform: &platform,
					MetaResolver:   stubResolver{allowed},
					Warn:           warn,
				})
				if err == nil {
					_, err = st.Marshal(ctx)
				}
				if err != nil {
					report(problem{File: file, Platform: platforms.Format(platform), Target: name, Kind: "convert", Message: err.Error()})
				}
			}
		}
	}
	if count > 0 {
		os.Exit(1)
	}
}

var platformArgUse = regexp.MustCompile(`\$\{?(TARGETPLATFORM|TARGETOS|TARGETARCH|TARGETVARIANT|BUILDPLATFORM|BUILDOS|BUILDARCH|BUILDVARIANT)\b`)

// undeclaredPlatformArgs finds stages that read an automatic platform ARG
// without declaring it: such a value is global, and a stage sees it only
// after its own `ARG NAME` (FROM lines may use it directly).
func undeclaredPlatformArgs(dt []byte) []string {
	res, err := parser.Parse(strings.NewReader(string(dt)))
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	stage := "(global)"
	declared := map[string]bool{}
	for _, node := range res.AST.Children {
		switch strings.ToLower(node.Value) {
		case "from":
			stage = node.Original
			declared = map[string]bool{}
			continue
		case "arg":
			for n := node.Next; n != nil; n = n.Next {
				declared[strings.SplitN(n.Value, "=", 2)[0]] = true
			}
			continue
		}
		// A heredoc's script is read as well: the shell sees the stage's ARGs there too.
		text := node.Original
		for _, h := range node.Heredocs {
			text += "\n" + h.Content
		}
		for _, m := range platformArgUse.FindAllStringSubmatch(text, -1) {
			if !declared[m[1]] {
				out = append(out, fmt.Sprintf("line %d in stage %q uses $%s without ARG %s", node.StartLine, stage, m[1], m[1]))
			}
		}
	}
	return out
}
