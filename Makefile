# Winnow: `make demo` runs the main job, `make test` runs every test. Both install what a fresh
# Debian machine lacks first.
SWIFT ?= swift
SAMPLE := Grammar/examples/events.ndjson

# The hub's end-to-end test drives `winnow serve` with this real client (PyPI, pinned).
WEBSOCKET_CLIENT := websocket-client==1.9.2
# Generated events the end-to-end test publishes (Benchmarks' GenerateEvents, seed 1).
HUB_E2E_EVENTS := 20000

.PHONY: deps build release test hub-e2e demo clean

deps:
	@missing=""; \
	pkg-config --exists libpcre2-8 2>/dev/null || missing="$$missing libpcre2-dev"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
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
	$(SWIFT) build -c release --product winnow

test: deps
	python3 Grammar/tools/validate.py
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory hub-e2e
	sh Scripts/openiap-tests.sh

# `winnow serve` driven by Python websocket-client (Tests/HubEndToEnd/hub_e2e.py), publishing the
# examples and a generated corpus; needs the debug build of `make test`.
hub-e2e: deps
	$(SWIFT) build --package-path Benchmarks --product GenerateEvents
	Benchmarks/.build/debug/GenerateEvents -n $(HUB_E2E_EVENTS) --seed 1 > .build/hub-e2e-events.ndjson
	python3 Tests/HubEndToEnd/hub_e2e.py --winnow .build/debug/winnow --generated .build/hub-e2e-events.ndjson

demo: release
	@sh Scripts/demo.sh ./.build/release/winnow
	@sh Scripts/hub-demo.sh ./.build/release/winnow

clean:
	rm -rf .build
