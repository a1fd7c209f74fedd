// libFuzzer entry point: the NDJSON stream path of `winnow match` (line reader, event filter,
// output buffer) with tiny buffers, against splitting the same bytes by hand.
// The oracle lives in FuzzOracles (shared with Tests/WinnowTests/FuzzRegressionTests.swift).
import FuzzOracles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNDJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  maskKnownIssues = true  // stop only at new bugs (see FailCases/KNOWN_ISSUES)
  if let failure = checkNDJSONStream(Array(UnsafeBufferPointer(start: data, count: size))) {
    fatalError(failure)
  }
  return 0
}
