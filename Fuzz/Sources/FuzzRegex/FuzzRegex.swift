// libFuzzer entry point: the RE2 front end and PCRE2 matching on `pattern 0xFF subject`.
// The oracle lives in FuzzOracles (shared with Tests/WinnowTests/FuzzRegressionTests.swift).
import FuzzOracles

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  maskKnownIssues = true  // stop only at new bugs (see FailCases/KNOWN_ISSUES)
  if let failure = checkRegex(Array(UnsafeBufferPointer(start: data, count: size))) {
    fatalError(failure)
  }
  return 0
}
