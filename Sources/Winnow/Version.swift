/// The version of the Winnow library and command-line tool.
public let version = "0.1.0"
