#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How the block-parallel loop of ``NDJSONEventFilter`` splits its input (ripgrep's model).
package struct ParallelOptions: Sendable, Hashable {
  /// The threads that filter blocks; the calling thread reads and writes.
  ///
  /// At most one means the sequential loop.
  package var workers: Int
  /// The bytes of a block.
  ///
  /// A line longer than a block is read by the sequential loop.
  package var blockSize: Int
  /// The blocks in flight for each worker: memory is `workers × blocksPerWorker × blockSize`
  /// and the results of those blocks.
  package var blocksPerWorker: Int

  /// Whether a regular file is mapped (``MappedInput``) rather than read: its blocks are then
  /// filtered where the page cache holds them, without a copy.
  package var mapsFiles: Bool

  /// One worker per core (at most ``maxDefaultWorkers``), blocks of 1 MiB, two blocks per
  /// worker, regular files mapped.
  package init(
    workers: Int = ParallelOptions.defaultWorkers, blockSize: Int = 1 << 20,
    blocksPerWorker: Int = 2, mapsFiles: Bool = true
  ) {
    precondition(blockSize > 0 && blocksPerWorker > 0)
    self.workers = workers
    self.blockSize = blockSize
    self.blocksPerWorker = blocksPerWorker
    self.mapsFiles = mapsFiles
  }

  /// The cores online.
  package static var availableCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  /// The most workers by default: one reading thread feeds about this many before it is the
  /// bottleneck, and memory stays within `8 × 2` MiB of blocks.
  package static let maxDefaultWorkers = 8

  /// One per core, at most ``maxDefaultWorkers``.
  package static var defaultWorkers: Int { min(availableCores, maxDefaultWorkers) }
}

extension NDJSONEventFilter {
  /// The stream loop of ``run(_:output:flush:progress:report:)`` on several threads: the same
  /// output bytes, counts, errors (in the same order, with the same line numbers) and end.
  ///
  /// The calling thread reads blocks of whole lines and hands them to `parallel.workers`
  /// threads; it writes each block's matches and reports its errors in input order. A line
  /// longer than a block goes to the sequential loop, which hands the input back after it.
  /// On a pipe or terminal, everything read is written before the loop waits for more input,
  /// so output and errors come as soon as they would sequentially. An input that fits in one
  /// block is filtered on the calling thread. The matcher must be safe to use from several
  /// threads (compiled filters and specifiers are).
  func runInParallel(
    _ reader: LineReader, output: OutputBuffer?, parallel: ParallelOptions,
    progress: ((_ bytesRead: Int) -> Void)?, report: (LineError) -> Void
  ) throws(LineReader.ReadError) -> RunEnd {
    let run = ParallelRun(
      filter: self, fd: reader.fd, readerOptions: reader.options, options: parallel,
      output: output)
    defer {
      run.stopWorkers()
      // Lines written from a mapping are borrowed until a flush: write them while it lasts.
      if run.mapped != nil { output?.flush() }
    }
    let end = try run.run(progress: progress, report: report)
    if let mapped = run.mapped {
      run.stopWorkers()
      output?.flush()
      // A file truncated under the run: what was read past its new end may have been zeros
      // (and a write of such lines fails), so the run's results are not to be trusted.
      if let size = mapped.shrunkSize {
        throw LineReader.ReadError(
          message:
            "the file shrank to \(size) bytes while it was read; what was read past that is incomplete"
        )
      }
    }
    return end
  }
}

/// The state of one block-parallel run.
private final class ParallelRun: @unchecked Sendable {
  let filter: NDJSONEventFilter
  let fd: Int32
  let readerOptions: LineReader.Options
  let options: ParallelOptions
  let output: OutputBuffer?
  let isRegularFile: Bool
  /// The blocks, used in turn (allocated as needed).
  var blocks: [FilterBlock] = []
  let ringSize: Int
  /// The sequence number of the block being read, and of the next one to write.
  var nextToRead = 0
  var nextToEmit = 0
  let monitor = Monitor()
  /// Blocks waiting for a worker (under the monitor).
  var queue: [FilterBlock] = []
  var stopping = false
  var threads: [pthread_t] = []
  /// The tester of blocks filtered on the calling thread.
  lazy var inlineTester = makeTester()
  var atEOF = false
  var bytesRead = 0
  /// The input, when it is a mapped regular file.
  var mapped: MappedInput?
  /// The lines the filter had counted before this input (lines are numbered per input).
  let linesBefore: Int

  init(
    filter: NDJSONEventFilter, fd: Int32, readerOptions: LineReader.Options,
    options: ParallelOptions, output: OutputBuffer?
  ) {
    self.filter = filter
    self.fd = fd
    self.readerOptions = readerOptions
    self.options = options
    self.output = output
    linesBefore = filter.statistics.lines
    ringSize = max(2, options.workers * options.blocksPerWorker)
    var info = stat()
    isRegularFile = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    queue.reserveCapacity(ringSize)
  }

  func makeTester() -> NDJSONEventFilter {
    NDJSONEventFilter(
      limits: filter.limits, projection: filter.projection, predicate: filter.predicate)
  }

  func block(_ sequence: Int) -> FilterBlock {
    let index = sequence % ringSize
    if index == blocks.count { blocks.append(FilterBlock(capacity: options.blockSize)) }
    return blocks[index]
  }

  func run(
    progress: ((_ bytesRead: Int) -> Void)?, report: (NDJSONEventFilter.LineError) -> Void
  ) throws(LineReader.ReadError) -> NDJSONEventFilter.RunEnd {
    var carry = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    var preloaded = 0
    if options.mapsFiles, let input = MappedInput(fd: fd, minimumCount: options.blockSize) {
      mapped = input
      guard let rest = try filterMapped(input, progress: progress, report: report) else {
        return .writeFailed
      }
      preloaded = rest
    }
    while true {
      // The block to fill is free once the block read `ringSize` before it is written.
      while nextToEmit <= nextToRead - ringSize {
        guard emit(waitFor(nextToEmit), report: report) else { return .writeFailed }
      }
      let block = block(nextToRead)
      if preloaded > 0 {
        block.useBuffer(filled: preloaded)
        preloaded = 0
      } else {
        block.useBuffer(filled: carry.count)
        if carry.count > 0 { block.buffer.update(from: carry.baseAddress!, count: carry.count) }
      }
      var readError: LineReader.ReadError?
      do throws(LineReader.ReadError) {
        guard try fill(block, progress: progress, report: report) else { return .writeFailed }
      } catch {
        readError = error
      }
      if atEOF && readError == nil {
        block.count = block.filled
      } else if let end = block.endOfLastLine() {
        block.count = end
      } else if let readError {
        block.count = 0
        guard drain(report: report) else { return .writeFailed }
        throw readError
      } else {
        // A line longer than a block: the sequential loop reads it, then hands back the rest.
        guard drain(report: report) else { return .writeFailed }
        guard let rest = try readLongLine(block, progress: progress, report: report) else {
          return .writeFailed
        }
        preloaded = rest
        carry = UnsafeBufferPointer(start: nil, count: 0)
        if preloaded == 0 && atEOF { break }
        continue
      }
      carry = block.tail
      dispatch(block, report: report)
      nextToRead += 1
      if let readError {
        guard drain(report: report) else { return .writeFailed }
        throw readError
      }
      if atEOF { break }
    }
    guard drain(report: report) else { return .writeFailed }
    if let output {
      output.flush()
      if output.failed { return .writeFailed }
    }
    return .endOfInput
  }

  /// Filters the whole lines of a mapped file in blocks of at most `options.blockSize`, as `run`
  /// does those it reads, up to the first line that does not end within a block: a line longer than
  /// a block, or one still without its LF at the end of the mapping.
  ///
  /// That line's bytes, at most a block, are copied into the next block's buffer, and the
  /// descriptor is moved past them, for the read loop to go on with.
  ///
  /// Returns the number of bytes copied, or nil when a write failed.
  func filterMapped(
    _ input: MappedInput, progress: ((_ bytesRead: Int) -> Void)?,
    report: (NDJSONEventFilter.LineError) -> Void
  ) throws(LineReader.ReadError) -> Int? {
    var position = 0
    while true {
      while nextToEmit <= nextToRead - ringSize {
        guard emit(waitFor(nextToEmit), report: report) else { return nil }
      }
      let window = min(options.blockSize, input.count - position)
      guard let end = FilterBlock.endOfLastLine(input.bytes + position, count: window) else {
        let rest = block(nextToRead)
        rest.buffer.update(from: input.bytes + position, count: window)
        guard input.resumeReading(at: position + window) else {
          throw LineReader.ReadError(message: String(cString: strerror(errno)))
        }
        bytesRead += window
        if window > 0 { progress?(bytesRead) }
        return window
      }
      let block = block(nextToRead)
      block.useMapped(input, from: position, to: position + end)
      dispatch(block, report: report)
      nextToRead += 1
      position += end
      bytesRead += end
      progress?(bytesRead)
    }
  }

  /// Reads into `block` until it is full or the input ends; on a pipe or terminal, stops early when
  /// nothing more is ready and the block holds a whole line, and writes everything in flight before
  /// waiting for input.
  ///
  /// Returns false when a write failed.
  func fill(
    _ block: FilterBlock, progress: ((_ bytesRead: Int) -> Void)?,
    report: (NDJSONEventFilter.LineError) -> Void
  ) throws(LineReader.ReadError) -> Bool {
    var holdsLine = memchr(block.bytes, 0x0A, block.filled) != nil
    while block.filled < block.capacity && !atEOF {
      if !isRegularFile && !inputIsReady() {
        if holdsLine { return true }
        guard drain(report: report) else { return false }
      }
      let n = read(fd, block.buffer + block.filled, block.capacity - block.filled)
      if n > 0 {
        if !holdsLine { holdsLine = memchr(block.bytes + block.filled, 0x0A, n) != nil }
        block.filled += n
        bytesRead += n
        progress?(bytesRead)
      } else if n == 0 {
        atEOF = true
      } else if errno != EINTR {
        throw LineReader.ReadError(message: String(cString: strerror(errno)))
      }
    }
    return true
  }

  /// Whether a read would not wait.
  func inputIsReady() -> Bool {
    var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&request, 1, 0) > 0
  }

  /// Filters the block's whole lines: on this thread when it is all the input, else on a worker.
  func dispatch(_ block: FilterBlock, report: (NDJSONEventFilter.LineError) -> Void) {
    if threads.isEmpty && atEOF && nextToEmit == nextToRead {
      block.filter(with: inlineTester, recordMatches: output != nil)
      block.state = .done
      return
    }
    if threads.isEmpty { startWorkers() }
    monitor.withLock {
      block.state = .queued
      queue.append(block)
      monitor.broadcast()
    }
  }

  func startWorkers() {
    for _ in 0..<options.workers {
      // Each worker has a tester of its own (parser buffers, counts); the matcher is shared.
      let tester = UncheckedSendable(makeTester())
      let recordMatches = output != nil
      threads.append(
        startThread { [self] in
          while let block = nextJob() {
            block.filter(with: tester.value, recordMatches: recordMatches)
            monitor.withLock {
              block.state = .done
              monitor.broadcast()
            }
          }
        })
    }
  }

  /// The next block to filter, or nil when the run stops.
  func nextJob() -> FilterBlock? {
    monitor.withLock {
      monitor.wait { stopping || !queue.isEmpty }
      return stopping ? nil : queue.removeFirst()
    }
  }

  func stopWorkers() {
    guard !threads.isEmpty else { return }
    monitor.withLock {
      stopping = true
      monitor.broadcast()
    }
    for thread in threads { joinThread(thread) }
    threads = []
  }

  /// The block of `sequence`, once filtered.
  func waitFor(_ sequence: Int) -> FilterBlock {
    let block = block(sequence)
    monitor.withLock { monitor.wait { block.state == .done } }
    return block
  }

  /// Writes every block read so far.
  ///
  /// Returns false when a write failed.
  func drain(report: (NDJSONEventFilter.LineError) -> Void) -> Bool {
    while nextToEmit < nextToRead {
      guard emit(waitFor(nextToEmit), report: report) else { return false }
    }
    return true
  }

  /// Writes a filtered block's matches and reports its errors, in line order, numbering its lines
  /// after those counted so far, and adds its counts.
  ///
  /// When a write fails, the counts stop at that line (as the sequential loop's) and it returns
  /// false.
  func emit(_ block: FilterBlock, report: (NDJSONEventFilter.LineError) -> Void) -> Bool {
    nextToEmit += 1
    block.state = .free
    defer { if let end = block.mappedEnd { releaseMapped(upTo: end) } }
    let first = filter.statistics.lines - linesBefore
    var matched = 0
    var errors = 0
    for record in block.records {
      let line = UnsafeBufferPointer(start: block.bytes + record.start, count: record.length)
      if record.diagnostic >= 0 {
        errors += 1
        report(
          NDJSONEventFilter.LineError(
            lineNumber: first + record.line, diagnostic: block.diagnostics[record.diagnostic],
            line: line))
      } else if let output {
        matched += 1
        if block.mappedEnd != nil {
          // The line and its LF, where the mapping holds them (written before the run ends).
          output.appendBorrowed(UnsafeBufferPointer(start: line.baseAddress, count: line.count + 1))
        } else {
          output.append(line, terminator: 0x0A)
        }
        if output.failed {
          filter.statistics.lines += record.line
          filter.statistics.matched += matched
          filter.statistics.errors += errors
          filter.statistics.blank += record.blanksBefore
          filter.statistics.notMatched += record.line - matched - errors - record.blanksBefore
          return false
        }
      }
    }
    filter.statistics.lines += block.statistics.lines
    filter.statistics.matched += block.statistics.matched
    filter.statistics.notMatched += block.statistics.notMatched
    filter.statistics.blank += block.statistics.blank
    filter.statistics.errors += block.statistics.errors
    return true
  }

  /// Hands back the mapped pages before `end`, but none that output not yet written points at;
  /// output that would hold back more than ``maxBorrowedLag`` bytes (sparse matches: the
  /// buffer fills slowly) is copied instead, so memory stays bounded.
  func releaseMapped(upTo end: Int) {
    guard let mapped else { return }
    var end = end
    if let output, let borrowed = output.firstBorrowedByte {
      let oldest = UnsafeRawPointer(mapped.bytes).distance(to: borrowed)
      if end - oldest > Self.maxBorrowedLag {
        output.stopBorrowing()
      } else {
        end = min(end, oldest)
      }
    }
    mapped.release(upTo: end)
  }

  /// How far behind the blocks written borrowed output may hold mapped pages.
  static let maxBorrowedLag = 4 * MappedInput.releaseStep

  /// Reads a line longer than a block (the block's bytes are its start) with the sequential loop,
  /// and the lines after it until what is left fits in a block; moves what is left into the block.
  ///
  /// Returns its size, or nil when a write failed.
  func readLongLine(
    _ block: FilterBlock, progress: ((_ bytesRead: Int) -> Void)?,
    report: (NDJSONEventFilter.LineError) -> Void
  ) throws(LineReader.ReadError) -> Int? {
    let linesRead = filter.statistics.lines - linesBefore
    let first = linesRead + 1
    let reader = LineReader(
      fd: fd, options: readerOptions,
      pending: UnsafeBufferPointer(start: block.bytes, count: block.filled),
      lineNumber: linesRead, bytesRead: bytesRead, atEOF: atEOF)
    var failed = false
    var bytesSeen = bytesRead
    let filter = filter
    let output = output
    let capacity = block.capacity
    try reader.forEachLine { line in
      if filter.test(line, lineNumber: reader.lineNumber, report: report), let output {
        output.append(line, terminator: 0x0A)
        if output.failed {
          failed = true
          return false
        }
      }
      if let progress, reader.bytesRead != bytesSeen {
        bytesSeen = reader.bytesRead
        progress(bytesSeen)
      }
      return reader.lineNumber < first || reader.pending.count > capacity
    } overlong: { line in
      filter.countOverlong(
        line.prefix, limit: line.limit, lineNumber: reader.lineNumber, report: report)
      return true
    }
    bytesRead = reader.bytesRead
    atEOF = reader.reachedEOF
    if failed { return nil }
    let rest = reader.pending
    precondition(rest.count <= capacity)
    if rest.count > 0 { block.buffer.update(from: rest.baseAddress!, count: rest.count) }
    return rest.count
  }
}

/// A value handed to a worker thread that alone uses it from then on.
private struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
