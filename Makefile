# Winnow: `make demo` runs the main job, `make test` runs every test. Both install what a fresh
# Debian machine lacks first.
SWIFT ?= swift
SAMPLE := Grammar/examples/events.ndjson

.PHONY: deps build release test demo clean

deps:
	@missing=""; \
	pkg-config --exists libpcre2-8 2>/dev/null || missing="$$missing libpcre2-dev"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || missing="$$missing nats-server"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@python3 -c 'import websocket' 2>/dev/null || python3 -m pip install -q -r Tests/Cluster/requirements.txt

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product winnow

test: deps
	python3 Grammar/tools/validate.py
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	python3 Tests/Cluster/cluster_test.py "$$($(SWIFT) build --show-bin-path)/winnow"

demo: release
	@sh Scripts/demo.sh ./.build/release/winnow

clean:
	rm -rf .build
