import Winnow

// Placeholder until the command-line issue lands: prints the version.
print("winnow \(Winnow.version)")
