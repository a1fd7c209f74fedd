// libFuzzer entry point: compiled filters against the reference interpreter on generated (term, document) pairs.
// The oracle lives in FuzzOracles (shared with Tests/WinnowTests/FuzzRegressionTests.swift).
import FuzzOracles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEval(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  maskKnownIssues = true  // stop only at new bugs (see FailCases/KNOWN_ISSUES)
  if let failure = checkEvaluation(fuzz: Array(UnsafeBufferPointer(start: data, count: size))) {
    fatalError(failure)
  }
  return 0
}
