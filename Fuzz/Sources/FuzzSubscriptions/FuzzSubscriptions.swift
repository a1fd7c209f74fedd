// libFuzzer entry point: register/deregister/dispatch sequences on SubscriptionRegistry against
// a plain model of SPEC section 7.
// The oracle lives in FuzzOracles (shared with Tests/WinnowTests/FuzzRegressionTests.swift).
import FuzzOracles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSubscriptions(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  maskKnownIssues = true  // stop only at new bugs (see FailCases/KNOWN_ISSUES)
  if let failure = checkSubscriptions(Array(UnsafeBufferPointer(start: data, count: size))) {
    fatalError(failure)
  }
  return 0
}
