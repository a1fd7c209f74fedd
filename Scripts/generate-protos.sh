#!/bin/sh
# Regenerates Sources/WinnowOpenIAP/Generated/openiap.pb.swift from Protos/openiap.proto.
#
# Needs protoc (Debian: protobuf-compiler) and swift-protobuf's protoc-gen-swift, at the same
# version as the package's SwiftProtobuf dependency (1.39.0). The plugin is built once outside
# the package, in a scratch folder (about 10 minutes on 2 cores), because `make test` must not
# build it:
#
#   git clone https://github.com/apple/swift-protobuf /tmp/protoc-plugin/sp
#   git -C /tmp/protoc-plugin/sp checkout 1.39.0
#   (cd /tmp/protoc-plugin/sp && swift build -c release --product protoc-gen-swift)
#
# Usage: Scripts/generate-protos.sh [PATH/TO/protoc-gen-swift]
set -eu
cd "$(dirname "$0")/.."
plugin="${1:-${PROTOC_GEN_SWIFT:-/tmp/protoc-plugin/sp/.build/release/protoc-gen-swift}}"
if [ ! -x "$plugin" ]; then
  echo "protoc-gen-swift not found at $plugin (see the comment at the top of this script)" >&2
  exit 2
fi
command -v protoc >/dev/null || { echo "protoc not found (apt-get install protobuf-compiler)" >&2; exit 2; }
out=Sources/WinnowOpenIAP/Generated
mkdir -p "$out"
# Package visibility: the hub's transports (another target of this package) use the messages,
# clients of the library do not see them.
protoc --plugin=protoc-gen-swift="$plugin" --proto_path=Protos \
  --swift_opt=Visibility=Package --swift_out="$out" openiap.proto
echo "generated $out/openiap.pb.swift"
