import Foundation

/// A QR Code symbol (ISO/IEC 18004:2015, model 2) holding UTF-8 text in byte mode, e.g. a URL to
/// print on a form. Written from the standard's description; rendered as SVG or as a 1-bit PNG.
///
/// Steps, in the standard's order: data encoding (§7.4), splitting into blocks and Reed–Solomon
/// error correction (§7.5), interleaving (§7.6), module placement (§7.7), masking (§7.8),
/// format and version information (§7.9, §7.10).
public struct QRCode: Sendable, Equatable {
    public enum Correction: String, Sendable, CaseIterable {
        case low = "L", medium = "M", quartile = "Q", high = "H"

        /// Row in the block tables below: L, M, Q, H.
        fileprivate var row: Int { Self.allCases.firstIndex(of: self)! }
        /// The two error-correction bits of the format information (§7.9.1, Table 12): L 01, M 00, Q 11, H 10.
        fileprivate var formatBits: Int { [0b01, 0b00, 0b11, 0b10][row] }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case tooLong(bytes: Int, max: Int)

        public var description: String {
            switch self {
            case .tooLong(let bytes, let max):
                "The text is \(bytes) bytes of UTF-8, but a QR code holds at most \(max) bytes at this error-correction level."
            }
        }
    }

    /// 1...40: the smallest version that holds the text, but not below `minimumVersion`.
    public let version: Int
    public let correction: Correction
    /// Modules per side, 17 + 4 × version.
    public let size: Int
    /// Row-major, `true` for dark.
    private let modules: [Bool]

    /// Encodes the UTF-8 bytes of `text` in byte mode. `minimumVersion` is clamped to 1...40.
    public init(_ text: String, correction: Correction = .medium, minimumVersion: Int = 1) throws {
        let bytes = Array(text.utf8)
        let first = min(max(minimumVersion, 1), 40)
        guard let version = (first...40).first(where: { Self.capacity(version: $0, correction: correction) >= bytes.count }) else {
            throw Failure.tooLong(bytes: bytes.count, max: Self.capacity(version: 40, correction: correction))
        }
        self.version = version
        self.correction = correction
        size = 17 + 4 * version

        // Data encoding (§7.4): mode indicator 0100 (byte), character count, the bytes, a terminator of up to
        // four 0 bits (§7.4.9), 0 bits to the next codeword boundary, then the pad codewords 11101100 and
        // 00010001 in turn until the data capacity is filled (§7.4.10).
        let capacityBits = Self.dataCodewords(version, correction) * 8
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) {
            for i in stride(from: count - 1, through: 0, by: -1) { bits.append(value >> i & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, Self.countBits(version))
        for byte in bytes { append(Int(byte), 8) }
        append(0, min(4, capacityBits - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var data: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
        }
        while data.count * 8 < capacityBits { data.append(data.count % 2 == bits.count / 8 % 2 ? 0xEC : 0x11) }

        // Error correction (§7.5): the data codewords are split into blocks, the first group one codeword
        // shorter than the second (Table 9), and each block gets its own Reed–Solomon codewords.
        let blockCount = Self.blocks[correction.row][version - 1], ecCount = Self.ecPerBlock[correction.row][version - 1]
        let shortLength = data.count / blockCount, longBlocks = data.count % blockCount
        var dataBlocks: [[UInt8]] = []
        var start = 0
        for index in 0..<blockCount {
            let length = shortLength + (index >= blockCount - longBlocks ? 1 : 0)
            dataBlocks.append(Array(data[start..<start + length]))
            start += length
        }
        let ecBlocks = dataBlocks.map { ReedSolomon.remainder(of: $0, degree: ecCount) }

        // Interleaving (§7.6): the first codeword of every block, then the second, ..., skipping the short
        // blocks at their end; then the error-correction codewords the same way.
        var codewords: [UInt8] = []
        for i in 0...shortLength { for block in dataBlocks where i < block.count { codewords.append(block[i]) } }
        for i in 0..<ecCount { for block in ecBlocks { codewords.append(block[i]) } }

        // Placement (§7.7.3): two-module-wide columns from the right edge, alternately upward and downward,
        // right module before left, skipping function patterns and the whole vertical timing column (x = 6).
        // Modules left over after the last codeword are the remainder bits, 0 (light) before masking.
        var matrix = Matrix(version: version)
        var index = 0, upward = true, right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !matrix.function[y * size + x] {
                    if index < codewords.count * 8 { matrix.dark[y * size + x] = codewords[index / 8] >> (7 - index % 8) & 1 == 1 }
                    index += 1
                }
            }
            upward.toggle()
            right -= 2
        }

        // Masking (§7.8): try all eight patterns with their format information drawn, keep the lowest penalty.
        var best: (penalty: Int, modules: [Bool])?
        for mask in 0..<8 {
            var candidate = matrix
            candidate.apply(mask: mask)
            candidate.drawFormat(correction, mask: mask)
            let penalty = candidate.penalty()
            if best.map({ penalty < $0.penalty }) ?? true { best = (penalty, candidate.dark) }
        }
        modules = best!.modules
    }

    /// Whether the module at column `x`, row `y` (origin top left) is dark; outside the symbol, false.
    public func isDark(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < size && y < size && modules[y * size + x]
    }

    /// An SVG of `module` pixels per module with a light quiet zone (the standard asks for 4 modules, §6.3.8).
    /// The viewBox is in modules; the dark modules are one path of horizontal runs.
    public func svg(module: Int = 4, quietZone: Int = 4) -> String {
        let module = max(1, module), quiet = max(0, quietZone), side = size + 2 * quiet
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                let start = x
                while isDark(x: x, y: y) { x += 1 }
                if x > start { path += "M\(start + quiet) \(y + quiet)h\(x - start)v1h-\(x - start)z" } else { x += 1 }
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side * module)" height="\(side * module)" \
            shape-rendering="crispEdges"><rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    /// A 1-bit grayscale PNG of `module` pixels per module with a light quiet zone. The image data is a zlib
    /// stream of stored (uncompressed) deflate blocks, so no compression library is needed.
    public func png(module: Int = 4, quietZone: Int = 4) -> Data {
        let module = max(1, module), quiet = max(0, quietZone), width = (size + 2 * quiet) * module
        let rowBytes = (width + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * width)
        for py in 0..<width {
            // Filter type 0 (none), then pixels most significant bit first; 1 is white, 0 black.
            var row = [UInt8](repeating: 0xFF, count: rowBytes)
            for px in 0..<width where isDark(x: px / module - quiet, y: py / module - quiet) { row[px / 8] &= ~(0x80 >> UInt8(px % 8)) }
            raw.append(0)
            raw += row
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ body: [UInt8]) {
            let typed = Array(type.utf8) + body
            png += Self.bigEndian(UInt32(body.count)) + typed + Self.bigEndian(Self.crc32(typed))
        }
        // Width, height, bit depth 1, colour type 0 (grayscale), deflate, adaptive filtering, no interlace.
        chunk("IHDR", Self.bigEndian(UInt32(width)) + Self.bigEndian(UInt32(width)) + [1, 0, 0, 0, 0])
        chunk("IDAT", Self.zlibStored(raw))
        chunk("IEND", [])
        return Data(png)
    }

    // MARK: - Capacity (§7.4.10, Table 9)

    /// Error-correction codewords per block, rows L, M, Q, H, columns versions 1...40 (Table 9).
    private static let ecPerBlock: [[Int]] = [
        [
            7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
            28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
            26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        ],
        [
            13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
            28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
            30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
    ]
    /// Number of error-correction blocks (both groups together), same layout (Table 9).
    private static let blocks: [[Int]] = [
        [
            1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
            8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
        ],
        [
            1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
            17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
        ],
        [
            1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
            23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
        ],
        [
            1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
            25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
        ],
    ]
    /// Total codewords per version (Table 1): the modules the function patterns leave free, counted on the
    /// layout itself, in whole bytes (the 0–7 modules left over are the remainder bits).
    private static let totalCodewords: [Int] = (1...40).map { Matrix(version: $0).function.lazy.filter { !$0 }.count / 8 }

    private static func dataCodewords(_ version: Int, _ correction: Correction) -> Int {
        totalCodewords[version - 1] - ecPerBlock[correction.row][version - 1] * blocks[correction.row][version - 1]
    }

    /// Length of the byte-mode character count indicator (Table 3).
    private static func countBits(_ version: Int) -> Int { version <= 9 ? 8 : 16 }

    /// How many bytes fit in byte mode: mode indicator and count indicator, then 8 bits a byte.
    static func capacity(version: Int, correction: Correction) -> Int {
        (dataCodewords(version, correction) * 8 - 4 - countBits(version)) / 8
    }

    /// A BCH code word: `data` followed by the remainder of data × x^degree divided by `generator` over GF(2).
    fileprivate static func bch(_ data: Int, generator: Int, degree: Int) -> Int {
        var remainder = data << degree
        for bit in stride(from: 30, through: degree, by: -1) where remainder >> bit & 1 == 1 {
            remainder ^= generator << (bit - degree)
        }
        return data << degree | remainder
    }

    // MARK: - PNG helpers

    private static func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }

    /// CRC-32 as PNG uses it (ISO 3309: reflected polynomial 0xEDB88320, initial and final value all ones).
    private static let crcTable: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }
    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(UInt32.max) { crcTable[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }

    /// A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4), each at most 65,535 bytes.
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        // CMF 0x78: deflate with a 32 KiB window; FLG 0x01 makes CMF × 256 + FLG a multiple of 31.
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65_535, data.count), length = end - start
            // Header bits: BFINAL on the last block, BTYPE 00; then LEN and its one's complement, little-endian.
            out.append(end == data.count ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8 & 0xFF)]
            out += data[start..<end]
            start = end
        } while start < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + bigEndian(b << 16 | a)
    }
}

extension QRCode {
    /// Reed–Solomon error correction codewords (§7.5.2) over GF(2^8) with the field's prime polynomial
    /// x^8 + x^4 + x^3 + x^2 + 1 (0x11D), generator polynomial (x − α^0)(x − α^1)…(x − α^(n−1)).
    private enum ReedSolomon {
        /// exp[i] = α^i, doubled in length so that exp[log a + log b] needs no reduction; log is its inverse.
        static let exp: [Int] = {
            var table = [Int](repeating: 0, count: 512), value = 1
            for i in 0..<512 {
                table[i] = value
                value <<= 1
                if value & 0x100 != 0 { value ^= 0x11D }
            }
            return table
        }()
        static let log: [Int] = {
            var table = [Int](repeating: 0, count: 256)
            for i in 0..<255 { table[exp[i]] = i }
            return table
        }()

        static func multiply(_ a: Int, _ b: Int) -> Int { a == 0 || b == 0 ? 0 : exp[log[a] + log[b]] }

        /// The remainder of data(x) · x^degree divided by the generator polynomial: the error-correction codewords.
        static func remainder(of data: [UInt8], degree: Int) -> [UInt8] {
            // Generator coefficients, highest power first (the leading 1 included); subtraction is XOR.
            var generator = [1]
            for i in 0..<degree {
                var next = generator + [0]
                for j in 0..<generator.count { next[j + 1] ^= multiply(generator[j], exp[i]) }
                generator = next
            }
            // Long division as a shift register: each data codeword feeds back through the generator.
            var remainder = [Int](repeating: 0, count: degree)
            for codeword in data {
                let factor = Int(codeword) ^ remainder.removeFirst()
                remainder.append(0)
                for j in 0..<degree { remainder[j] ^= multiply(generator[j + 1], factor) }
            }
            return remainder.map { UInt8($0) }
        }
    }

    /// The module grid while it is built: colours, and which modules belong to function patterns.
    private struct Matrix {
        let size: Int
        var dark: [Bool]
        var function: [Bool]

        /// Draws the function patterns (§6.3): finders with separators, alignment and timing patterns,
        /// the dark module, version information, and reserves the format information area.
        init(version: Int) {
            size = 17 + 4 * version
            dark = Array(repeating: false, count: size * size)
            function = dark
            // Finder patterns (§6.3.3) in three corners, with their light separators (§6.3.4): by the distance
            // d from the centre, 3×3 dark core (d ≤ 1), light ring (2), dark ring (3), light separator (4).
            for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 2 && max(abs(dx), abs(dy)) != 4) }
                }
            }
            // Alignment patterns (§6.3.6, Annex E): centred on every pair of the row/column coordinates, except
            // the three that would overlap the finders. Dark centre, light ring, dark ring.
            let centres = Self.alignmentCoordinates(version)
            for cy in centres {
                for cx in centres where !function[cy * size + cx] {
                    for dy in -2...2 { for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) } }
                }
            }
            // Timing patterns (§6.3.5): row 6 and column 6 between the separators, dark on even coordinates.
            // Where they cross an alignment pattern the colours agree.
            for i in 8..<size - 8 {
                set(i, 6, i % 2 == 0)
                set(6, i, i % 2 == 0)
            }
            drawFormat(.medium, mask: 0)  // reserves the area; the real bits are drawn after masking
            // The dark module beside the lower-left format information (§7.9.1, Figure 25).
            set(8, size - 8, true)
            // Version information (§7.10) for versions 7 and up: 6 version bits and a BCH(18,6) remainder with
            // generator x^12 + x^11 + x^10 + x^9 + x^8 + x^5 + x^2 + 1 (0x1F25), unmasked (Figure 27): a block
            // 6 wide and 3 high above the lower-left finder, filled column by column, and its transpose left of the
            // top-right finder, filled row by row; bit 0 (least significant) at the top left of each.
            if version >= 7 {
                let bits = bch(version, generator: 0x1F25, degree: 12)
                for i in 0..<18 {
                    let a = size - 11 + i % 3, b = i / 3, on = bits >> i & 1 == 1
                    set(a, b, on)
                    set(b, a, on)
                }
            }
        }

        mutating func set(_ x: Int, _ y: Int, _ on: Bool) {
            guard x >= 0, y >= 0, x < size, y < size else { return }
            dark[y * size + x] = on
            function[y * size + x] = true
        }

        /// Row/column centre coordinates of the alignment patterns (Annex E, Table E.1): 6, then evenly spaced up
        /// to size − 7, counting back from the last with an even step; version 32 is the table's one exception.
        static func alignmentCoordinates(_ version: Int) -> [Int] {
            guard version >= 2 else { return [] }
            let count = version / 7 + 2, last = 4 * version + 10
            let step = version == 32 ? 26 : ((last - 6 + count - 2) / (count - 1) + 1) / 2 * 2
            return [6] + (0..<count - 1).reversed().map { last - $0 * step }
        }

        /// Format information (§7.9): 2 error-correction bits and 3 mask bits, a BCH(15,5) remainder with
        /// generator x^10 + x^8 + x^5 + x^4 + x^2 + x + 1 (0x537), XORed with 101010000010010 (0x5412) so that it
        /// is never all zeros. Two copies (Figure 25): around the top-left finder, bits 0–7 down column 8 from the top
        /// (skipping the timing row), bits 8–14 leftward along row 8 (skipping the timing column); and bits 0–7
        /// leftward from the right edge on row 8 under the top-right finder, bits 8–14 down column 8 beside the
        /// lower-left one. Bit 14 is the most significant.
        mutating func drawFormat(_ correction: Correction, mask: Int) {
            let bits = bch(correction.formatBits << 3 | mask, generator: 0x537, degree: 10) ^ 0x5412
            for i in 0..<15 {
                let on = bits >> i & 1 == 1
                let (x, y) = i < 6 ? (8, i) : i < 8 ? (8, i + 1) : (i == 8 ? 7 : 14 - i, 8)
                set(x, y, on)
                if i < 8 { set(size - 1 - i, 8, on) } else { set(8, size - 15 + i, on) }
            }
        }

        /// Mask patterns (§7.8.2, Table 10), i the row and j the column; applied to non-function modules only.
        mutating func apply(mask: Int) {
            for i in 0..<size {
                for j in 0..<size where !function[i * size + j] {
                    let flip =
                        switch mask {
                        case 0: (i + j) % 2 == 0
                        case 1: i % 2 == 0
                        case 2: j % 3 == 0
                        case 3: (i + j) % 3 == 0
                        case 4: (i / 2 + j / 3) % 2 == 0
                        case 5: i * j % 2 + i * j % 3 == 0
                        case 6: (i * j % 2 + i * j % 3) % 2 == 0
                        default: ((i + j) % 2 + i * j % 3) % 2 == 0
                        }
                    if flip { dark[i * size + j].toggle() }
                }
            }
        }

        /// Mask evaluation (§7.8.3, Table 11): N1 = 3 for a run of 5 same-coloured modules in a row or column,
        /// plus 1 per module beyond 5; N2 = 3 per 2×2 block of one colour (overlapping blocks counted);
        /// N3 = 40 per 1:1:3:1:1 dark-light-dark-light-dark pattern with 4 light modules before or after it
        /// (outside the symbol counts as light: the quiet zone); N4 = 10 per full 5 % the dark share is off 50 %.
        func penalty() -> Int {
            var total = 0
            for i in 0..<size {
                total += Self.linePenalty((0..<size).map { dark[i * size + $0] })
                total += Self.linePenalty((0..<size).map { dark[$0 * size + i] })
            }
            for y in 0..<size - 1 {
                for x in 0..<size - 1 {
                    let c = dark[y * size + x]
                    if dark[y * size + x + 1] == c && dark[(y + 1) * size + x] == c && dark[(y + 1) * size + x + 1] == c { total += 3 }
                }
            }
            let darkCount = dark.lazy.filter { $0 }.count
            return total + 10 * (abs(20 * darkCount - 10 * dark.count) / dark.count)
        }

        /// N1 and N3 for one row or column.
        static func linePenalty(_ line: [Bool]) -> Int {
            var total = 0, run = 1
            for i in 1...line.count {
                if i < line.count && line[i] == line[i - 1] {
                    run += 1
                } else {
                    if run >= 5 { total += run - 2 }
                    run = 1
                }
            }
            let finder = [true, false, true, true, true, false, true]
            for s in 0...line.count - 7 where line[s..<s + 7].elementsEqual(finder) {
                let lightBefore = (s - 4..<s).allSatisfy { $0 < 0 || !line[$0] }
                let lightAfter = (s + 7..<s + 11).allSatisfy { $0 >= line.count || !line[$0] }
                if lightBefore || lightAfter { total += 40 }
            }
            return total
        }
    }
}
