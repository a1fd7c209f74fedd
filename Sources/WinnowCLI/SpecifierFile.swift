import Winnow

/// The specifier files of `match -f` and `watch -f`: one specifier per line; spaces, tabs and CRs
/// around it are dropped, and blank lines and `#` comments are skipped.
///
/// Lines longer than the line limit are reported and skipped; errors are located in the file
/// (`FILE:LINE:COLUMN`).
enum SpecifierFile {
  /// Reads `input`, handing each specifier's bytes to `parse`; returns false when a line was
  /// invalid or the file could not be read (everything found is reported on standard error).
  static func read(
    _ input: InputFile, maxLineBytes: Int,
    parse: (UnsafeBufferPointer<UInt8>) throws(Diagnostic) -> Void
  ) -> Bool {
    let fd: Int32
    do {
      fd = try input.openDescriptor()
    } catch {
      Console.complain(error.message)
      return false
    }
    defer { if !input.isStandardInput { closeDescriptor(fd) } }
    let reader = LineReader(fd: fd, options: LineReader.Options(maxLineBytes: maxLineBytes))
    var valid = true
    do {
      try reader.forEachLine { line in
        guard let first = line.firstIndex(where: { !ByteClass.isBlank($0) }),
          line[first] != UInt8(ascii: "#")
        else { return true }
        let last = line.lastIndex(where: { !ByteClass.isBlank($0) })!
        do throws(Diagnostic) {
          try parse(UnsafeBufferPointer(rebasing: line[first...last]))
        } catch {
          Console.report(
            LocatedDiagnostic(
              error.shifted(by: first), inBytes: line, name: input.displayName,
              firstLine: reader.lineNumber))
          valid = false
        }
        return true
      } overlong: { line in
        Console.report(
          LocatedDiagnostic(
            NDJSONEventFilter.overlong(limit: line.limit), inBytes: line.prefix,
            name: input.displayName, firstLine: reader.lineNumber, layout: .singleLine))
        valid = false
        return true
      }
    } catch {
      Console.complain("\(input.displayName): \(error.message)")
      return false
    }
    return valid
  }
}
