import Foundation

/// Reads CSV records from a file or from bytes in memory, one at a time, in bounded memory: the
/// file is read in 1 MiB chunks and only the record being parsed is kept. RFC 4180 quoting,
/// CRLF/LF/CR line ends, UTF-8 with or without BOM, or GBK/GB18030 as Excel on Chinese Windows
/// saves "CSV (逗号分隔)". The encoding is decided on the first 64 KiB (the whole input when it
/// is in memory) and every later field is held to it; a byte that fits neither is refused naming its
/// row, column and text line, never replaced by U+FFFD.
///
/// Not `Sendable`: one reader belongs to one task.
public final class CSVStream {
    public let name: String
    /// A record may not be longer than this (a hostile file must not grow one record without end).
    public static let recordLimit = 4 << 20
    private let chunkSize: Int
    /// Bytes looked at before the encoding is decided (a short span of GBK can pass for UTF-8).
    private let sample: Int

    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private var position = 0
    private var exhausted = false
    private var gb = false
    private var started = false
    /// The CSV row of the next record (the header is row 1) and the text line at `position`.
    private var nextRow = 1
    private var line = 1

    /// - Parameters:
    ///   - chunkSize: bytes read at a time (tests use tiny chunks to cut every record).
    ///   - sample: bytes read before the encoding is decided (at least 4, for a byte-order mark).
    public init(url: URL, chunkSize: Int = 1 << 20, sample: Int = 1 << 16) throws(FileError) {
        name = url.lastPathComponent
        self.chunkSize = max(1, chunkSize)
        self.sample = max(4, sample)
        do { handle = try FileHandle(forReadingFrom: url) } catch { throw FileError.unreadable(name, "\(error)") }
    }

    public init(data: Data, name: String) {
        self.name = name
        chunkSize = 0
        sample = 0
        buffer = Array(data)
        exhausted = true
    }

    deinit { try? handle?.close() }

    /// The first record; `FileError.empty` when the file has none.
    public func header() throws(FileError) -> [String] {
        guard let first = try next(), first.row == 1 else { throw FileError.empty(name) }
        return first.cells
    }

    /// The next record that is not blank, with its CSV row number (the header is row 1); nil at
    /// the end. Blank rows (only white space) are skipped but counted.
    public func next() throws(FileError) -> (row: Int, cells: [String])? {
        if !started { try start() }
        while true {
            guard let cells = try record() else { return nil }
            let row = nextRow
            nextRow += 1
            if row > 1 && cells.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { continue }
            return (row, cells)
        }
    }

    // MARK: - Reading

    /// Reads the first `sample` bytes and decides the encoding on them.
    private func start() throws(FileError) {
        started = true
        while handle != nil && buffer.count < sample && !exhausted { try fill() }
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        let body = buffer[position...]
        if body.starts(with: [0xFF, 0xFE]) || body.starts(with: [0xFE, 0xFF]) {
            throw CSVTable.refusal(.utf16, name: name)
        }
        // A multi-byte character cut by the chunk's end is not a fault.
        let slack = exhausted ? 0 : 3
        let (utf8Stop, gbStop): (Int, Int?) = body.withUnsafeBufferPointer { b in
            (CSVTable.firstInvalidUTF8(b), CSVTable.firstInvalidGB18030(b))
        }
        if utf8Stop >= body.count - slack { return }
        guard let gbStop, gbStop < body.count - slack else {
            guard CSVTable.gb18030Available else { throw CSVTable.refusal(.gbUnavailable, name: name) }
            gb = true
            return
        }
        let stop = max(utf8Stop, gbStop)
        let (row, column, line) = body.withUnsafeBufferPointer { CSVTable.place(of: stop, in: $0) }
        throw CSVTable.refusal(
            .invalid(row: row, column: column, line: line, byte: body[body.startIndex + stop], asUTF8: utf8Stop >= gbStop), name: name)
    }

    /// Appends the next chunk of the file, first dropping what has been consumed.
    private func fill() throws(FileError) {
        guard let handle, !exhausted else { return }
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let chunk: Data?
        do { chunk = try handle.read(upToCount: chunkSize) } catch { throw FileError.unreadable(name, "\(error)") }
        guard let chunk, !chunk.isEmpty else {
            exhausted = true
            return
        }
        buffer.append(contentsOf: chunk)
    }

    /// One record's fields, or nil at the end of the input. When the record runs past the
    /// buffer, more is read and the record is parsed again from its start.
    private func record() throws(FileError) -> [String]? {
        while true {
            if position >= buffer.count {
                if exhausted { return nil }
                try fill()
                continue
            }
            switch try parse() {
            case .complete(let cells): return cells
            case .needMore:
                if buffer.count - position > Self.recordLimit {
                    throw FileError.refused(
                        file: name, code: "csv_record_too_long",
                        zh: "\(name)，第\(nextRow)行：一行超过 \(FileError.bytes(Self.recordLimit))，请检查引号是否成对",
                        en: "\(name) row \(nextRow): a row is longer than \(FileError.bytes(Self.recordLimit)); check that quotes are paired")
                }
                try fill()
            }
        }
    }

    private enum Parsed {
        case complete([String])
        case needMore
    }

    /// Parses the record at `position`. At the end of the input an open quote is an error; before
    /// it, running out of bytes asks for more.
    private func parse() throws(FileError) -> Parsed {
        let atEnd = exhausted
        var cells: [String] = []
        var lines = 0
        var i = position
        let count = buffer.count
        var scratch: [UInt8] = []
        let outcome: Result<Parsed, FileError> = buffer.withUnsafeBufferPointer { b in
            while true {
                // One field starting at i.
                let fieldLine = line + lines
                if i < count && b[i] == 0x22 {
                    // Quoted: "" is a quote; text after the closing quote is kept (as Excel does).
                    scratch.removeAll(keepingCapacity: true)
                    var j = i + 1
                    var closed = false
                    while j < count {
                        let byte = b[j]
                        if byte == 0x22 {
                            if j + 1 < count && b[j + 1] == 0x22 {
                                scratch.append(0x22)
                                j += 2
                                continue
                            }
                            if j + 1 >= count && !atEnd { return .success(.needMore) }
                            closed = true
                            j += 1
                            break
                        }
                        if byte == 0x0A || (byte == 0x0D && (j + 1 >= count || b[j + 1] != 0x0A)) { lines += 1 }
                        scratch.append(byte)
                        j += 1
                    }
                    if !closed {
                        if !atEnd { return .success(.needMore) }
                        return .failure(
                            FileError.refused(
                                file: name, code: "csv_quote",
                                zh: "\(name)，第\(nextRow)行第\(cells.count + 1)列：引号没有闭合",
                                en: "\(name) row \(nextRow), column \(cells.count + 1): a quote is not closed"))
                    }
                    while j < count && b[j] != 0x2C && b[j] != 0x0A && b[j] != 0x0D {
                        scratch.append(b[j])
                        j += 1
                    }
                    if j >= count && !atEnd { return .success(.needMore) }
                    switch scratch.withUnsafeBufferPointer({ decode($0, column: cells.count + 1, line: fieldLine) }) {
                    case .success(let text): cells.append(text)
                    case .failure(let error): return .failure(error)
                    }
                    i = j
                } else {
                    var j = i
                    while j < count && b[j] != 0x2C && b[j] != 0x0A && b[j] != 0x0D { j += 1 }
                    // A field cut by the buffer's end (perhaps inside a character) waits for the rest.
                    if j >= count && !atEnd { return .success(.needMore) }
                    switch decode(UnsafeBufferPointer(rebasing: b[i..<j]), column: cells.count + 1, line: fieldLine) {
                    case .success(let text): cells.append(text)
                    case .failure(let error): return .failure(error)
                    }
                    i = j
                }
                // After a field: a comma, a line end, or the end of the input.
                if i >= count {
                    if !atEnd { return .success(.needMore) }
                    position = i
                    line += lines
                    return .success(.complete(cells))
                }
                if b[i] == 0x2C {
                    i += 1
                    continue
                }
                if b[i] == 0x0D {
                    if i + 1 >= count && !atEnd { return .success(.needMore) }
                    i += (i + 1 < count && b[i + 1] == 0x0A) ? 2 : 1
                } else {
                    i += 1
                }
                position = i
                line += lines + 1
                return .success(.complete(cells))
            }
        }
        return try outcome.get()
    }

    /// A field's text in the file's encoding; a byte that does not fit is refused with its place.
    private func decode(_ bytes: UnsafeBufferPointer<UInt8>, column: Int, line: Int) -> Result<String, FileError> {
        if !bytes.contains(where: { $0 >= 0x80 }) { return .success(String(decoding: bytes, as: UTF8.self)) }
        if !gb {
            if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
            let stop = CSVTable.firstInvalidUTF8(bytes)
            return .failure(refusal(bytes, stop: stop, column: column, line: line, asUTF8: true))
        }
        if let stop = CSVTable.firstInvalidGB18030(bytes) {
            return .failure(refusal(bytes, stop: stop, column: column, line: line, asUTF8: false))
        }
        if let text = String(data: Data(bytes), encoding: CSVTable.gb18030) { return .success(text) }
        return .failure(refusal(bytes, stop: 0, column: column, line: line, asUTF8: false))
    }

    private func refusal(_ bytes: UnsafeBufferPointer<UInt8>, stop: Int, column: Int, line: Int, asUTF8: Bool) -> FileError {
        let before = bytes[..<stop].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return CSVTable.refusal(
            .invalid(row: nextRow, column: column, line: line + before, byte: bytes[stop], asUTF8: asUTF8), name: name)
    }
}
