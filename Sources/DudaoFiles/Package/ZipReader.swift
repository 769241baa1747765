import CZlib
import Foundation

/// Reads the parts of a zip (an .xlsx) with every offset and size checked against the bytes.
///
/// ZIPFoundation is not used for reading client files: its in-memory archive traps on a seek
/// past the end, its inflate loop never ends when a deflate stream is not terminated within the
/// file, and it hands zlib a buffer size larger than the chunk it read (all found or seen while
/// fuzzing, DudaoFuzzTests). Here the central directory is parsed with bounds checks, and zlib
/// gets exactly the entry's compressed bytes: a stream that does not end within them is refused.
struct ZipReader {
    struct Entry {
        var name: String
        var method: UInt16
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    enum Failure: Error {
        case notAZip(String)
        case damaged(String)
        case unsupported(String)
    }

    /// The archive's bytes (a file's are mapped by the readers, not loaded); parts are inflated a
    /// chunk at a time.
    private let bytes: Data
    private(set) var entries: [String: Entry] = [:]

    init(_ data: Data) throws(Failure) {
        // Offsets below are from the archive's first byte.
        bytes = data.startIndex == 0 ? data : Data(data)
        guard bytes.count >= 22, u32(0) == 0x0403_4B50 || u32(0) == 0x0605_4B50 else { throw .notAZip("no zip signature") }
        // End of central directory: the last 22 bytes plus a comment of up to 65,535.
        var eocd: Int?
        var i = bytes.count - 22
        while i >= max(0, bytes.count - 22 - 65_535) {
            if u32(i) == 0x0605_4B50 { eocd = i; break }
            i -= 1
        }
        guard let end = eocd else { throw .notAZip("no end of central directory") }
        let count = Int(u16(end + 10)), size = Int(u32(end + 12)), offset = Int(u32(end + 16))
        guard count != 0xFFFF, offset != 0xFFFF_FFFF else { throw .unsupported("ZIP64 archives") }
        guard offset + size <= end else { throw .damaged("the central directory lies outside the file") }
        var p = offset
        for _ in 0..<count {
            guard p + 46 <= offset + size, u32(p) == 0x0201_4B50 else { throw .damaged("a central directory record is broken") }
            let nameLength = Int(u16(p + 28)), extraLength = Int(u16(p + 30)), commentLength = Int(u16(p + 32))
            guard p + 46 + nameLength <= offset + size else { throw .damaged("a file name runs past the central directory") }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            entries[name] = Entry(
                name: name, method: u16(p + 10), compressedSize: Int(u32(p + 20)), uncompressedSize: Int(u32(p + 24)),
                localHeaderOffset: Int(u32(p + 42)))
            p += 46 + nameLength + extraLength + commentLength
        }
    }

    /// Passes the entry's uncompressed bytes to `consumer` in chunks.
    func extract(_ entry: Entry, consumer: (Data) throws -> Void) throws {
        let part = try open(entry)
        while let chunk = try part.next() { try consumer(chunk) }
    }

    /// The entry's uncompressed bytes, to be pulled a chunk at a time.
    func open(_ entry: Entry) throws(Failure) -> PartStream {
        let h = entry.localHeaderOffset
        guard h + 30 <= bytes.count, u32(h) == 0x0403_4B50 else { throw .damaged("\(entry.name): no local header where the directory says") }
        let start = h + 30 + Int(u16(h + 26)) + Int(u16(h + 28))
        let size = entry.compressedSize
        guard start <= bytes.count, size <= bytes.count - start else {
            throw .damaged("\(entry.name): its data runs past the end of the file")
        }
        guard entry.method == 0 || entry.method == 8 else { throw .unsupported("\(entry.name): compression method \(entry.method)") }
        return try PartStream(bytes, range: start..<(start + size), deflated: entry.method == 8, name: entry.name)
    }

    /// One entry's bytes, stored or inflated (raw deflate, zip method 8), at most 64 KiB a call.
    /// zlib gets exactly the entry's compressed bytes, copied in 64 KiB at a time from the
    /// archive: a stream that does not end within them is refused, never looped on.
    final class PartStream {
        static let chunk = 64 << 10
        let name: String
        private let source: Data
        private var offset: Int
        private let end: Int
        private var deflated: Bool
        // zlib keeps pointers to its stream and to the buffers: all three are allocated here, at
        // addresses that never move, and freed with the stream.
        private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private let input = UnsafeMutablePointer<UInt8>.allocate(capacity: PartStream.chunk)
        private let output = UnsafeMutablePointer<UInt8>.allocate(capacity: PartStream.chunk)
        private var finished = false

        init(_ source: Data, range: Range<Int>, deflated: Bool, name: String) throws(Failure) {
            self.source = source
            self.name = name
            offset = range.lowerBound
            end = range.upperBound
            self.deflated = deflated
            stream.initialize(to: z_stream())
            if deflated && inflateInit2_(stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) != Z_OK {
                self.deflated = false
                throw .damaged("\(name): zlib could not start")
            }
        }

        deinit {
            if deflated { inflateEnd(stream) }
            stream.deallocate()
            input.deallocate()
            output.deallocate()
        }

        /// The next bytes of the entry; nil at its end.
        func next() throws(Failure) -> Data? {
            guard !finished else { return nil }
            guard deflated else {
                guard offset < end else {
                    finished = true
                    return nil
                }
                let n = min(Self.chunk, end - offset)
                defer { offset += n }
                return source.subdata(in: offset..<(offset + n))
            }
            while true {
                // zlib has used what it was given: hand it the next slice of the entry.
                if stream.pointee.avail_in == 0 && offset < end {
                    let n = min(Self.chunk, end - offset)
                    _ = source.copyBytes(to: UnsafeMutableBufferPointer(start: input, count: n), from: offset..<(offset + n))
                    stream.pointee.next_in = input
                    stream.pointee.avail_in = UInt32(n)
                    offset += n
                }
                stream.pointee.next_out = output
                stream.pointee.avail_out = UInt32(Self.chunk)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                let produced = Self.chunk - Int(stream.pointee.avail_out)
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw .damaged("\(name): the compressed data is corrupt (zlib \(status))")
                }
                if status == Z_STREAM_END { finished = true }
                if produced > 0 { return Data(bytes: output, count: produced) }
                if finished { return nil }
                // No progress possible: the entry's bytes are used up before the stream ends.
                if status == Z_BUF_ERROR && stream.pointee.avail_in > 0 || stream.pointee.avail_in == 0 && offset >= end {
                    throw .damaged("\(name): the compressed data ends before its stream does")
                }
            }
        }
    }

    private func u16(_ i: Int) -> UInt16 { UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 }
    private func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
}

/// Reading one part of an Office package (DOCX, XLSX) through the bounded reader: for tests
/// and checks that look inside a generated document.
public enum PackagePart {
    /// The inflated bytes of `name`, or nil when the package has no such part.
    public static func data(_ name: String, in package: Data) throws -> Data? {
        let zip = try ZipReader(package)
        guard let entry = zip.entries[name] else { return nil }
        var out = Data()
        try zip.extract(entry) { out.append($0) }
        return out
    }
}
