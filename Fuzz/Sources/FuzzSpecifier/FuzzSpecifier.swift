// libFuzzer entry point: the event-specifier parser on any bytes (round trip, diagnostics,
// parts and matching against a plain reading of SPEC section 2).
// The oracle lives in FuzzOracles (shared with Tests/WinnowTests/FuzzRegressionTests.swift).
import FuzzOracles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpecifier(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  maskKnownIssues = true  // stop only at new bugs (see FailCases/KNOWN_ISSUES)
  if let failure = checkSpecifierText(Array(UnsafeBufferPointer(start: data, count: size))) {
    fatalError(failure)
  }
  return 0
}
