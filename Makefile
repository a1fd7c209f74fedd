# Winnow: `make demo` runs the main job, `make test` runs every test. Both install what a fresh
# Debian machine lacks first.
SWIFT ?= swift
SAMPLE := Grammar/examples/events.ndjson

.PHONY: deps build release test demo clean

deps:
	@missing=""; \
	pkg-config --exists libpcre2-8 2>/dev/null || missing="$$missing libpcre2-dev"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product winnow

test: deps
	python3 Grammar/tools/validate.py
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	sh Scripts/openiap-tests.sh

demo: release
	@sh Scripts/demo.sh ./.build/release/winnow

clean:
	rm -rf .build
