# Winnow: `make demo` runs the main job, `make test` runs every test. Both install what a fresh
# Debian machine lacks first.
SWIFT ?= swift
SAMPLE := Grammar/examples/events.ndjson
# `make install` puts the tool under $(DESTDIR)$(PREFIX): bin/, share/man/man1/ and the shells'
# completion folders.
PREFIX ?= /usr/local
DESTDIR ?=
# The build `make install` copies: release, or debug to reuse the tests' build (CI does).
CONFIGURATION ?= release
# HUB=0 builds `winnow` without the `Hub` package trait: no `serve` or `watch`, and none of the
# network stack to compile (in its own build folder, .build-nohub, so the two builds coexist).
HUB ?= 1
ifeq ($(HUB),0)
BUILD_DIR := .build-nohub
TRAIT_FLAGS := --disable-default-traits --scratch-path $(BUILD_DIR)
else
BUILD_DIR := .build
TRAIT_FLAGS :=
endif
BIN := $(BUILD_DIR)/$(CONFIGURATION)/winnow
# Release builds carry the Swift runtime and Foundation in the binary: without the dynamic
# binding of their symbols `winnow` starts 4-6 ms sooner, where a `winnow match` over 429 MB takes
# about 130 ms in all. Debug builds (the tests') link dynamically, which is faster to link.
STATIC_STDLIB := --static-swift-stdlib
CONFIGURATION_FLAGS := $(if $(filter release,$(CONFIGURATION)),$(STATIC_STDLIB),)
# What swift-format checks and rewrites (the configuration is .swift-format).
FORMAT_PATHS := Sources Tests Benchmarks Fuzz Package.swift Plugins

# The hub's end-to-end test drives `winnow serve` with this real client (PyPI, pinned).
WEBSOCKET_CLIENT := websocket-client==1.9.2
# Generated events the end-to-end test publishes (Benchmarks' GenerateEvents, seed 1).
HUB_E2E_EVENTS := 20000

.PHONY: deps build release test demo clean format lint docs binary manual install uninstall install-check hub-e2e cluster-test nohub-check

deps:
	@missing=""; \
	pkg-config --exists libpcre2-8 2>/dev/null || missing="$$missing libpcre2-dev"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || missing="$$missing nats-server"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@python3 -c 'import sys, websocket; sys.exit(websocket.__version__ != "1.9.2")' 2>/dev/null || { \
	  echo "installing: $(WEBSOCKET_CLIENT)"; \
	  python3 -m pip install -q $(WEBSOCKET_CLIENT) 2>/dev/null \
	    || python3 -m pip install -q --break-system-packages $(WEBSOCKET_CLIENT); }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product winnow $(STATIC_STDLIB) $(TRAIT_FLAGS)

test: deps
	python3 Grammar/tools/validate.py
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) sh Scripts/run-swift-tests.sh
	$(MAKE) --no-print-directory hub-e2e
	$(MAKE) --no-print-directory cluster-test
	sh Scripts/openiap-tests.sh

# `winnow serve` driven by Python websocket-client (Tests/HubEndToEnd/hub_e2e.py), publishing the
# examples and a generated corpus; needs the debug build of `make test`.
hub-e2e: deps
	$(SWIFT) build --package-path Benchmarks --product GenerateEvents
	Benchmarks/.build/debug/GenerateEvents -n $(HUB_E2E_EVENTS) --seed 1 > .build/hub-e2e-events.ndjson
	python3 Tests/HubEndToEnd/hub_e2e.py --winnow .build/debug/winnow --generated .build/hub-e2e-events.ndjson

# Three hubs on a three-node NATS cluster (Tests/Cluster/cluster_test.py, README "Running several
# hubs"); needs the debug build of `make test`.
cluster-test: deps
	python3 Tests/Cluster/cluster_test.py .build/debug/winnow

demo: release
	@sh Scripts/demo.sh ./$(BUILD_DIR)/release/winnow
	@[ "$(HUB)" = 0 ] || sh Scripts/hub-demo.sh ./$(BUILD_DIR)/release/winnow

clean:
	rm -rf .build

# Rewrites the Swift sources in place to follow .swift-format.
format:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMAT_PATHS)

# Fails on any violation of .swift-format (warnings count as errors).
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMAT_PATHS)

# Builds the DocC archives of the library targets in one build (the library's and the hub's from
# their catalogs, Sources/Winnow/Winnow.docc and Sources/WinnowHub/WinnowHub.docc; the others'
# from their doc comments alone) and fails on any warning, an unresolved symbol link included
# (DocC resolves links within a module only: name another module's symbols in code voice), on a
# public symbol without a documentation comment, and on a railroad diagram that differs from
# Grammar's. The archives are .build/plugins/Swift-DocC/outputs/TARGET.doccarchive.
DOC_TARGETS := Winnow WinnowHub NATSClient WinnowNATS WinnowOpenIAP WinnowHubOpenIAP
docs: deps
	cmp Grammar/filter-railroad.svg Sources/Winnow/Winnow.docc/Resources/filter-railroad.svg
	$(SWIFT) package generate-documentation $(DOC_TARGETS:%=--target %) --warnings-as-errors
	python3 Scripts/check-doc-coverage.py $(DOC_TARGETS)

# The `winnow` executable in the chosen configuration.
binary: deps
	$(SWIFT) build -c $(CONFIGURATION) --product winnow $(CONFIGURATION_FLAGS) $(TRAIT_FLAGS)

# The man page, .build/manual/winnow.1, from swift-argument-parser's generate-manual: the tool
# behind its `generate-manual` plugin, run directly so that only `winnow` is built in release
# (the plugin builds every product) and the page is dated by the last commit, not by today.
manual: binary
	$(SWIFT) build --product generate-manual
	mkdir -p .build/manual
	"$$($(SWIFT) build --show-bin-path)/generate-manual" $(BIN) \
	  --date "$$(git log -1 --format=%cs 2>/dev/null || date +%F)" --output-directory .build/manual
	@# mdoc warns about blank lines; .Pp is the paragraph break it asks for and renders the same.
	sed -i "s/^$$/.Pp/" .build/manual/winnow.1

# The binary (release unless CONFIGURATION says otherwise), its man page and its bash, zsh and
# fish completions, under $(DESTDIR)$(PREFIX).
install: binary manual
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1" \
	  "$(DESTDIR)$(PREFIX)/share/bash-completion/completions" \
	  "$(DESTDIR)$(PREFIX)/share/zsh/site-functions" \
	  "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d"
	install -m 755 $(BIN) "$(DESTDIR)$(PREFIX)/bin/winnow"
	install -m 644 .build/manual/winnow.1 "$(DESTDIR)$(PREFIX)/share/man/man1/winnow.1"
	$(BIN) --generate-completion-script bash \
	  > "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/winnow"
	$(BIN) --generate-completion-script zsh \
	  > "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_winnow"
	$(BIN) --generate-completion-script fish \
	  > "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/winnow.fish"

# `winnow` without the Hub trait builds and filters the sample (CI keeps the trait from rotting).
nohub-check:
	$(MAKE) --no-print-directory binary HUB=0 CONFIGURATION=debug
	.build-nohub/debug/winnow match --count '*.*.*' $(SAMPLE)
	@! .build-nohub/debug/winnow serve --no-auth 2>/dev/null || { echo "serve exists without the Hub trait" >&2; exit 1; }

# Installs into a fresh temporary prefix and checks the result (Scripts/check-install.sh).
install-check:
	@dir=$$(mktemp -d) && $(MAKE) --no-print-directory install PREFIX="$$dir" \
	  && bash Scripts/check-install.sh "$$dir" && rm -rf "$$dir"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/winnow" "$(DESTDIR)$(PREFIX)/share/man/man1/winnow.1" \
	  "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/winnow" \
	  "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_winnow" \
	  "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/winnow.fish"
