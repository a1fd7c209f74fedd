import CWinnowMapping

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The rest of a regular file, mapped read-only from the descriptor's offset to the file's size
/// at the time of mapping, so that blocks of lines can be filtered where the page cache holds
/// them instead of being copied by `read`.
///
/// The pages of bytes already used are handed back with ``release(upTo:)``, in steps of 8 MiB,
/// so the process keeps only the part in flight and the last few MiB. The descriptor's offset
/// is not moved; ``resumeReading(at:)`` moves it past what was used, for `read` to go on from
/// there (and to see what was appended meanwhile).
///
/// A file truncated while it is mapped would end the process with SIGBUS when a page past its
/// new end is read. The mapping is guarded (`winnow_guard_mapping`): such a page reads as zeros
/// instead, and ``shrunkSize`` tells the caller afterwards that the file shrank.
final class MappedInput {
  /// The first byte of the rest of the file.
  let bytes: UnsafePointer<UInt8>
  /// The bytes mapped after ``bytes``.
  let count: Int
  private let fd: Int32
  /// The descriptor's offset at the start (the offset of ``bytes`` in the file).
  private let fileOffset: Int
  private let mapping: UnsafeMutableRawPointer
  private let mappingLength: Int
  private let pageSize: Int
  /// The mapping's bytes before this are released.
  private var released = 0
  /// The guard's slot (-1: not guarded).
  private let guardSlot: Int32

  /// Maps the rest of `fd` if it is a regular file that has more than `minimumCount` bytes left;
  /// nil otherwise or when the system refuses.
  init?(fd: Int32, minimumCount: Int) {
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    let offset = Int(lseek(fd, 0, SEEK_CUR))
    let size = Int(info.st_size)
    guard offset >= 0, size - offset > minimumCount else { return nil }
    let pageSize = max(1, Int(sysconf(Int32(_SC_PAGESIZE))))
    let alignedOffset = offset / pageSize * pageSize
    let length = size - alignedOffset
    guard
      let mapping = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, off_t(alignedOffset)),
      mapping != MAP_FAILED
    else { return nil }
    _ = madvise(mapping, length, MADV_SEQUENTIAL)
    self.fd = fd
    self.fileOffset = offset
    self.mapping = mapping
    self.mappingLength = length
    self.pageSize = pageSize
    let lead = offset - alignedOffset
    bytes = UnsafePointer(mapping.assumingMemoryBound(to: UInt8.self) + lead)
    count = size - offset
    guardSlot = winnow_guard_mapping(mapping, length)
  }

  deinit {
    winnow_unguard_mapping(guardSlot)
    munmap(mapping, mappingLength)
  }

  /// How many reads past the end of a truncated file read zeros instead of ending the process,
  /// since it started (for tests).
  static var guardedFaults: Int { winnow_guarded_faults() }

  /// The file's size now, if it is smaller than when it was mapped (it was truncated meanwhile,
  /// and what was read past its new end may be zeros); nil otherwise.
  var shrunkSize: Int? {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    return Int(info.st_size) < fileOffset + count ? Int(info.st_size) : nil
  }

  /// The least that ``release(upTo:)`` hands back at once.
  static let releaseStep = 8 << 20

  /// Hands back the whole pages before `offset` (counted from ``bytes``): the process no longer
  /// keeps them, and a later read of them would map them again from the page cache.
  func release(upTo offset: Int) {
    let end = (offset + (fileOffset % pageSize)) / pageSize * pageSize
    // In steps of at least 8 MiB: each release interrupts the other threads' processors (to
    // flush their TLBs), so fewer, larger ones cost less.
    guard end - released >= Self.releaseStep else { return }
    _ = madvise(mapping + released, end - released, MADV_DONTNEED)
    released = end
  }

  /// Moves the descriptor's offset to `offset` (counted from ``bytes``), where `read` goes on.
  ///
  /// Returns false when the descriptor cannot be moved.
  func resumeReading(at offset: Int) -> Bool {
    lseek(fd, off_t(fileOffset + offset), SEEK_SET) >= 0
  }
}
