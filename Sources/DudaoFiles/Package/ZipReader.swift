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

    private let bytes: [UInt8]
    private(set) var entries: [String: Entry] = [:]

    init(_ data: Data) throws(Failure) {
        bytes = [UInt8](data)
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
        let h = entry.localHeaderOffset
        guard h + 30 <= bytes.count, u32(h) == 0x0403_4B50 else { throw Failure.damaged("\(entry.name): no local header where the directory says") }
        let start = h + 30 + Int(u16(h + 26)) + Int(u16(h + 28))
        let size = entry.compressedSize
        guard start <= bytes.count, size <= bytes.count - start else {
            throw Failure.damaged("\(entry.name): its data runs past the end of the file")
        }
        switch entry.method {
        case 0:
            var p = start
            while p < start + size {
                let n = min(64 << 10, start + size - p)
                try consumer(Data(bytes[p..<(p + n)]))
                p += n
            }
        case 8:
            try Self.inflate(bytes[start..<(start + size)], name: entry.name, consumer: consumer)
        default:
            throw Failure.unsupported("\(entry.name): compression method \(entry.method)")
        }
    }

    /// Raw deflate (zip method 8) of exactly `input`, in chunks of at most 64 KiB.
    static func inflate(_ input: ArraySlice<UInt8>, name: String, consumer: (Data) throws -> Void) throws {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure.damaged("\(name): zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var source = Array(input)
        var output = [UInt8](repeating: 0, count: 64 << 10)
        try source.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            while true {
                let (status, produced) = output.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.avail_out))
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw Failure.damaged("\(name): the compressed data is corrupt (zlib \(status))")
                }
                if produced > 0 { try consumer(Data(output[0..<produced])) }
                if status == Z_STREAM_END { return }
                // No progress possible: the input is used up before the stream ends.
                if produced == 0 && (status == Z_BUF_ERROR || stream.avail_in == 0) {
                    throw Failure.damaged("\(name): the compressed data ends before its stream does")
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
