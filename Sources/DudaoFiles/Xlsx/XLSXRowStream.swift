import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The first worksheet of an .xlsx read a row at a time in bounded memory, as `CSVStream` reads
/// a CSV: the file is mapped, not loaded; the sheet's XML is inflated 64 KiB at a time and parsed
/// as it comes; at most `capacity` parsed rows wait to be taken. Only the shared-string table is
/// held whole (rows refer to it by position), within `XLSXLimits.maxSharedStrings`.
///
/// Foundation's XMLParser pushes events and returns only at the end of the part, so it runs on a
/// thread of its own and hands rows over through a `RowQueue`. `next()` waits for that thread
/// when no row is ready, as `CSVStream.next()` waits for the disk. Dropping the stream stops the
/// thread at its next row.
///
/// The same checks and messages as `XLSXReader.read`, with one difference: rows must come in
/// ascending order (Excel always writes them so), where the in-memory reader placed them by number.
///
/// Not `Sendable`: one reader belongs to one task.
public final class XLSXRowStream: RowSource {
    public let name: String
    let queue: RowQueue
    private var started = false

    public convenience init(url: URL, limits: XLSXLimits = .standard, capacity: Int = 1024) throws {
        let name = url.lastPathComponent
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch { throw FileError.unreadable(name, "\(error)") }
        try self.init(data, name: name, limits: limits, capacity: capacity)
    }

    public init(_ data: Data, name: String, limits: XLSXLimits = .standard, capacity: Int = 1024) throws {
        self.name = name
        let parts = try XLSXParts.open(data, name: name, limits: limits)
        let strings = try XLSXReader.sharedStrings(parts)
        let path = try XLSXReader.firstSheetPath(parts)
        guard parts.archive.entries[path] != nil else { throw FileError.unreadable(name, "no worksheet found") }
        let queue = RowQueue(capacity: capacity)
        self.queue = queue
        let thread = Thread {
            let handler = WorksheetHandler(place: parts.place(path), limits: limits, strings: strings, output: .rows(queue))
            do {
                try parts.parse(path, into: handler)
                queue.finish(nil)
            } catch {
                queue.finish(error)
            }
        }
        thread.name = "xlsx-rows"
        thread.start()
    }

    deinit { queue.stop() }

    /// Row 1; `FileError.empty` when the sheet does not start with one that has cells.
    public func header() throws -> [String] {
        started = true
        guard let first = try queue.take(), first.row == 1, !first.cells.isEmpty else { throw FileError.empty(name) }
        return first.cells
    }

    /// The next row with any cell, with its sheet row number; nil at the end.
    public func next() throws -> (row: Int, cells: [String])? {
        if !started { _ = try header() }
        while let row = try queue.take() {
            if !row.cells.isEmpty { return row }
        }
        return nil
    }
}

/// Rows handed from the parsing thread to the reader: `put` waits while `capacity` rows are
/// waiting, `take` waits while none is; the end, a failure, or the reader's leaving wake both.
final class RowQueue: @unchecked Sendable {
    let capacity: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var rows: [(row: Int, cells: [String])] = []
    private var head = 0
    private var ended = false
    private var failure: (any Error)?
    private var stopped = false
    private var _produced = 0
    private var _mostWaiting = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// What the parsing thread throws when the reader has gone: it ends the parse, and no one hears it.
    static func stopped(_ file: String) -> FileError {
        .refused(file: file, code: "reading_stopped", zh: "已停止读取", en: "reading stopped")
    }

    /// Hands a row on; false when the reader has gone (the parse should end).
    func put(row: Int, cells: [String]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while rows.count - head >= capacity && !stopped { condition.wait() }
        guard !stopped else { return false }
        if head > 4096 && head * 2 > rows.count {
            rows.removeFirst(head)
            head = 0
        }
        rows.append((row, cells))
        _produced += 1
        _mostWaiting = max(_mostWaiting, rows.count - head)
        condition.broadcast()
        return true
    }

    /// The parse has ended, with the error that ended it, if any.
    func finish(_ error: (any Error)?) {
        condition.lock()
        defer { condition.unlock() }
        ended = true
        failure = error
        condition.broadcast()
    }

    /// The next row; nil at the end; the parse's error once the rows before it are taken.
    func take() throws -> (row: Int, cells: [String])? {
        condition.lock()
        defer { condition.unlock() }
        while head == rows.count && !ended { condition.wait() }
        if head < rows.count {
            let row = rows[head]
            rows[head] = (0, [])
            head += 1
            condition.broadcast()
            return row
        }
        if let failure { throw failure }
        return nil
    }

    /// The reader has gone: the parsing thread stops at its next row.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
    }

    /// Rows parsed so far, the most that ever waited, and whether the parse has ended (for tests).
    var state: (produced: Int, mostWaiting: Int, ended: Bool) {
        condition.lock()
        defer { condition.unlock() }
        return (_produced, _mostWaiting, ended)
    }
}

/// A zip part fed to XMLParser as it is inflated (`XLSXParts.parse`, every part of a workbook),
/// checked on the way: the size limit (counted, since a declared size is only a claim), the
/// prologue on the bytes before the root element, and "<?" in every later chunk (Foundation's
/// XMLParser on Linux crashes on some processing instructions). A refusal ends the input;
/// `failure` says why. Once the handler has refused or libxml2 has failed, nothing more is inflated.
final class PartInput: InputStream {
    /// Bytes before the root element kept to decide the prologue; a longer prologue is refused.
    static let prologueLimit = 256 << 10

    private let part: ZipReader.PartStream
    private let limit: Int
    private let declared: Int
    private let place: XLSXPlace
    private unowned let reader: PartReader
    private(set) var failure: FileError?
    private var total = 0
    private var decided = false
    private var pattern: [UInt8] = [0x3C, 0x3F]
    /// The last bytes of the previous chunk (a "<?" may be cut in two) and where they start in the part.
    private var tail: [UInt8] = []
    private var tailOffset = 0
    private var pending = Data()
    private var pendingOffset = 0
    private var ended = false

    init(_ part: ZipReader.PartStream, limit: Int, declared: Int, place: XLSXPlace, reader: PartReader) {
        self.part = part
        self.limit = limit
        self.declared = declared
        self.place = place
        self.reader = reader
        super.init(data: Data())
    }

    override func open() {}
    override func close() {}
    override var hasBytesAvailable: Bool { !ended }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        guard failure == nil, !ended, reader.refusal == nil, reader.xmlError == nil else { return 0 }
        while pendingOffset >= pending.count {
            do {
                guard let chunk = try pull() else {
                    ended = true
                    return 0
                }
                pending = chunk
                pendingOffset = 0
            } catch {
                failure = error
                ended = true
                return 0
            }
        }
        let n = min(length, pending.count - pendingOffset)
        pending.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + pendingOffset, byteCount: n)
        }
        pendingOffset += n
        return n
    }

    /// The next checked chunk for the parser; nil at the end of the part.
    private func pull() throws(FileError) -> Data? {
        guard decided else {
            var head = Data()
            while true {
                let chunk = try inflated()
                if let chunk { head.append(chunk) }
                let outcome = Prologue.check(head, complete: chunk == nil)
                if outcome == .undecided {
                    guard head.count <= Self.prologueLimit else {
                        throw place.refuse(
                            "xml_prologue_too_long", zh: "根元素之前的内容超过 \(FileError.bytes(Self.prologueLimit))",
                            en: "more than \(FileError.bytes(Self.prologueLimit)) come before the root element")
                    }
                    continue
                }
                if let refusal = outcome.refusal(place) { throw refusal }
                decided = true
                pattern = Prologue.piPattern(head)
                remember(head, at: 0)
                return head.isEmpty ? nil : head
            }
        }
        guard let chunk = try inflated() else { return nil }
        // The head was looked through when it was checked; each later chunk is looked through
        // with the end of the one before (a "<?" may be cut in two).
        let start = total - chunk.count
        let seam = tail + chunk.prefix(pattern.count - 1)
        let tailOffset = self.tailOffset, pattern = self.pattern
        if seam.withUnsafeBytes({ Self.find(pattern, in: $0, from: tailOffset) }) != nil
            || chunk.withUnsafeBytes({ Self.find(pattern, in: $0, from: start) }) != nil
        {
            throw Prologue.processingInstruction.refusal(place)!
        }
        remember(chunk, at: start)
        return chunk
    }

    private func remember(_ chunk: Data, at offset: Int) {
        let keep = min(pattern.count - 1, chunk.count)
        tail = Array(chunk.suffix(keep))
        tailOffset = offset + chunk.count - keep
    }

    /// Where `pattern` stands in `bytes` (whose first byte is at `offset` in the part); in UTF-16
    /// only where a code unit starts (an even offset, after a mark or without one).
    private static func find(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        var i = 0
        while i + pattern.count <= bytes.count {
            if bytes[i] == pattern[0] {
                var k = 1
                while k < pattern.count && bytes[i + k] == pattern[k] { k += 1 }
                if k == pattern.count && (pattern.count == 2 || (offset + i) % 2 == 0) { return offset + i }
            }
            i += 1
        }
        return nil
    }

    /// The next inflated bytes, counted against the limit.
    private func inflated() throws(FileError) -> Data? {
        let chunk: Data?
        do { chunk = try part.next() } catch { throw FileError.unreadable(place.file, "\(place.part): \(error)") }
        guard let chunk else { return nil }
        total += chunk.count
        guard total <= limit else {
            throw place.refuse(
                "part_too_large",
                zh: "解压后超过 \(FileError.bytes(limit)) 的上限（声明的大小 \(FileError.bytes(declared)) 与实际不符）",
                en: "the part holds more than the limit of \(FileError.bytes(limit)) uncompressed (it declares \(FileError.bytes(declared)))")
        }
        return chunk
    }
}
