import Foundation
import Testing

@testable import DudaoFiles

/// Our QR Code encoder (ISO/IEC 18004) against the standard's tables, its function patterns, and
/// a real decoder: zbarimg from zbar-tools (Debian/Ubuntu: `apt-get install zbar-tools`).
@Suite("QR codes")
struct QRCodeTests {
    static let url = "https://dudao.example.cn/s/AbC123_-xyz?x=1"

    /// zbarimg, when installed (Debian: /usr/bin; Homebrew: /usr/local/bin or /opt/homebrew/bin).
    static let zbarimg: String? = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg", "/opt/homebrew/bin/zbarimg"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test func theSmallestVersionThatHoldsTheBytesIsChosen() throws {
        // Byte-mode capacities from the standard's capacity table: 1-L 17, 1-M 14, 1-Q 11, 1-H 7, 10-M 213, 40-L 2953, 40-H 1273.
        let cases: [(bytes: Int, QRCode.Correction, version: Int)] = [
            (17, .low, 1), (18, .low, 2), (14, .medium, 1), (15, .medium, 2), (11, .quartile, 1), (7, .high, 1), (8, .high, 2),
            (213, .medium, 10), (214, .medium, 11), (2953, .low, 40), (2331, .medium, 40), (1663, .quartile, 40), (1273, .high, 40),
        ]
        for (bytes, correction, version) in cases {
            let qr = try QRCode(String(repeating: "a", count: bytes), correction: correction)
            #expect(qr.version == version && qr.size == 17 + 4 * version, "\(bytes) bytes at \(correction.rawValue)")
            #expect(qr.correction == correction)
        }
        #expect(QRCode.capacity(version: 1, correction: .low) == 17 && QRCode.capacity(version: 10, correction: .medium) == 213)
        // Bytes of UTF-8 count, not characters: 6 Chinese characters are 18 bytes, one more than 1-L holds.
        #expect(try QRCode("督导评估学校", correction: .low).version == 2)
        #expect(try QRCode("a", minimumVersion: 7).version == 7)
        #expect(try QRCode(String(repeating: "a", count: 100), correction: .low, minimumVersion: 2).version == 5)
        #expect(throws: QRCode.Failure.tooLong(bytes: 2954, max: 2953)) { try QRCode(String(repeating: "a", count: 2954), correction: .low) }
        #expect(throws: QRCode.Failure.tooLong(bytes: 1274, max: 1273)) { try QRCode(String(repeating: "a", count: 1274), correction: .high) }
        let message = QRCode.Failure.tooLong(bytes: 2954, max: 2953).description
        #expect(message.contains("2954") && message.contains("2953"))
    }

    @Test(arguments: [1, 2, 7, 40])
    func functionPatternsAreWhereTheStandardPutsThem(version: Int) throws {
        let qr = try QRCode("https://dudao.cn", correction: .low, minimumVersion: version)
        let n = qr.size
        #expect(qr.version == version && n == 17 + 4 * version)
        // Finder patterns in three corners: a dark 7×7 ring, a light ring, a dark 3×3 core, then the light separator.
        for (left, top) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            for dy in -1...7 {
                for dx in -1...7 where (0..<n).contains(left + dx) && (0..<n).contains(top + dy) {
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    let dark = qr.isDark(x: left + dx, y: top + dy)
                    #expect(dark == (ring != 2 && ring != 4), "finder at \(left),\(top): +\(dx),+\(dy)")
                }
            }
        }
        let corners = [(0, 0), (n - 1, 0), (0, n - 1)].map { qr.isDark(x: $0.0, y: $0.1) }
        let separatorCorners = [(7, 7), (n - 8, 7), (7, n - 8)].map { qr.isDark(x: $0.0, y: $0.1) }
        #expect(corners == [true, true, true] && separatorCorners == [false, false, false])
        // Timing patterns on row 6 and column 6, dark on even coordinates; the dark module above the lower-left finder.
        for i in 8..<n - 8 {
            let row = qr.isDark(x: i, y: 6), column = qr.isDark(x: 6, y: i)
            #expect(row == i.isMultiple(of: 2) && column == i.isMultiple(of: 2), "timing at \(i)")
        }
        let darkModule = qr.isDark(x: 8, y: 4 * version + 9), outside = qr.isDark(x: -1, y: 0) || qr.isDark(x: 0, y: n)
        #expect(darkModule && !outside)
    }

    @Test(arguments: QRCode.Correction.allCases)
    func formatAndVersionInformationCopiesAgree(correction: QRCode.Correction) throws {
        let qr = try QRCode(Self.url, correction: correction, minimumVersion: 7)
        let n = qr.size
        func bits(_ positions: [(Int, Int)]) -> Int { positions.reduce(0) { $0 << 1 | (qr.isDark(x: $1.0, y: $1.1) ? 1 : 0) } }
        // Format information, most significant bit first: along row 8 then up column 8 by the top-left finder;
        // up column 8 by the lower-left finder, then along row 8 under the top-right one.
        let first = bits([(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8), (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)])
        let second = bits((0..<7).map { (8, n - 1 - $0) } + (0..<8).map { (n - 8 + $0, 8) })
        #expect(first == second)
        // Unmasked with 101010000010010, the two leading bits name the level: L 01, M 00, Q 11, H 10.
        let level = (first ^ 0x5412) >> 13
        #expect(level == ["L": 1, "M": 0, "Q": 3, "H": 2][correction.rawValue])
        // Version information of version 7 is 000111 110010010100 (the standard's table of version information).
        let lowerLeft = bits((0..<18).reversed().map { ($0 / 3, n - 11 + $0 % 3) })
        let upperRight = bits((0..<18).reversed().map { (n - 11 + $0 % 3, $0 / 3) })
        #expect(lowerLeft == 0b000111_110010010100 && upperRight == lowerLeft)
    }

    /// Versions 1–7 (answering links of 40–120 bytes land on 3–6 at level M; 7 is the first with version
    /// information), 10 (the first with a 16-bit count), 15, 25 and 40, at every level, both filled to
    /// capacity and short with `minimumVersion`, read back by zbarimg.
    @Test(.enabled(if: QRCodeTests.zbarimg != nil, "zbarimg (zbar-tools) is not installed"), arguments: QRCode.Correction.allCases)
    func zbarReadsWhatWeWrite(correction: QRCode.Correction) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, version) in [1, 2, 3, 4, 5, 6, 7, 10, 15, 25, 40].enumerated() {
            let capacity = QRCode.capacity(version: version, correction: correction)
            let text =
                index.isMultiple(of: 2)
                ? Self.text(Self.url + " 督导评估，学校安全检查 ", bytes: capacity)
                : Self.text("\(Self.url)&v=\(version) 禹州市", bytes: min(capacity, 60))
            let qr = try QRCode(text, correction: correction, minimumVersion: index.isMultiple(of: 2) ? 1 : version)
            #expect(qr.version == version)
            let file = directory.appendingPathComponent("v\(version).png")
            try qr.png(module: 3).write(to: file)
            #expect(try Self.zbar(file) == text, "version \(version)-\(correction.rawValue), \(text.utf8.count) bytes")
        }
    }

    /// Without zbarimg the test above is skipped; CI sets DUDAO_REQUIRE_ZBAR so that a missing decoder fails instead.
    @Test func zbarimgIsInstalledWhenRequired() {
        guard let required = ProcessInfo.processInfo.environment["DUDAO_REQUIRE_ZBAR"], !required.isEmpty else { return }
        #expect(Self.zbarimg != nil, "DUDAO_REQUIRE_ZBAR is set but zbarimg is missing: install zbar-tools (apt-get install zbar-tools)")
    }

    @Test func pngHeaderAndPixelsMatchTheModules() throws {
        let qr = try QRCode(Self.url, correction: .high)
        for (module, quiet) in [(4, 4), (1, 0), (3, 2)] {
            let png = [UInt8](qr.png(module: module, quietZone: quiet))
            #expect(png.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            #expect(String(decoding: png[12..<16], as: UTF8.self) == "IHDR")
            let width = Self.bigEndian(png, 16), height = Self.bigEndian(png, 20)
            #expect(width == (qr.size + 2 * quiet) * module && height == width)
            // IEND with its well-known CRC-32, AE 42 60 82.
            #expect(png.suffix(12).elementsEqual([0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]))
        }
        // Undo the zlib stream of stored blocks (big enough for two) and compare the pixels with the modules.
        let module = 20, quiet = 4, width = (qr.size + 2 * quiet) * module, rowBytes = (width + 7) / 8
        let png = [UInt8](qr.png(module: module, quietZone: quiet))
        var offset = 8, zlib: [UInt8] = []
        while offset < png.count {
            let length = Self.bigEndian(png, offset)
            if String(decoding: png[offset + 4..<offset + 8], as: UTF8.self) == "IDAT" { zlib += png[offset + 8..<offset + 8 + length] }
            offset += 12 + length
        }
        #expect(zlib.prefix(2).elementsEqual([0x78, 0x01]))
        var raw: [UInt8] = [], position = 2, blocks = 0, final = false
        while !final {
            let length = Int(zlib[position + 1]) | Int(zlib[position + 2]) << 8
            #expect(Int(zlib[position + 3]) | Int(zlib[position + 4]) << 8 == length ^ 0xFFFF)
            final = zlib[position] & 1 == 1
            raw += zlib[position + 5..<position + 5 + length]
            position += 5 + length
            blocks += 1
        }
        #expect(blocks >= 2)
        #expect(raw.count == (rowBytes + 1) * width && position + 4 == zlib.count)
        let (a, b) = raw.reduce((1, 0)) { sums, byte in ((sums.0 + Int(byte)) % 65_521, (sums.1 + (sums.0 + Int(byte)) % 65_521) % 65_521) }
        #expect(Self.bigEndian(zlib, position) == b << 16 | a)
        for y in -quiet..<qr.size + quiet {
            for x in -quiet..<qr.size + quiet {
                let px = (x + quiet) * module + module / 2, row = ((y + quiet) * module + module / 2) * (rowBytes + 1)
                #expect(raw[row] == 0)
                let expected = qr.isDark(x: x, y: y)
                #expect((raw[row + 1 + px / 8] & (0x80 >> (px % 8)) == 0) == expected, "module \(x),\(y)")
            }
        }
    }

    @Test func svgHasTheViewBoxAndOnePathCoveringTheDarkModules() throws {
        let qr = try QRCode(Self.url)
        let svg = qr.svg(module: 5, quietZone: 2)
        let side = qr.size + 4
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.contains("viewBox=\"0 0 \(side) \(side)\"") && svg.contains("width=\"\(side * 5)\" height=\"\(side * 5)\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\"") && svg.contains("<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"))
        #expect(svg.components(separatedBy: "<path ").count == 2)
        // The path is runs "M x y h n v1 h -n z"; their lengths add up to the number of dark modules.
        let d = try #require(svg.components(separatedBy: " d=\"").last?.components(separatedBy: "\"").first)
        let runs = d.components(separatedBy: "h").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        let dark = (0..<qr.size).reduce(0) { sum, y in sum + (0..<qr.size).filter { qr.isDark(x: $0, y: y) }.count }
        #expect(runs.reduce(0, +) == dark && dark > 0)
    }

    @Test func equalTextsGiveEqualSymbols() throws {
        #expect(try QRCode(Self.url) == QRCode(Self.url))
        #expect(try QRCode(Self.url) != QRCode(Self.url + "2"))
        #expect(try QRCode(Self.url, correction: .low) != QRCode(Self.url, correction: .high))
    }

    // MARK: - Helpers

    /// `seed` repeated and cut at a character boundary, then padded with "-" to exactly `bytes` bytes of UTF-8.
    static func text(_ seed: String, bytes: Int) -> String {
        var text = ""
        for character in String(repeating: seed, count: bytes / seed.utf8.count + 1) {
            guard text.utf8.count + String(character).utf8.count <= bytes else { break }
            text.append(character)
        }
        return text + String(repeating: "-", count: bytes - text.utf8.count)
    }

    static func bigEndian(_ bytes: [UInt8], _ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }

    /// What zbarimg reads from an image file, or nil when it finds no symbol.
    static func zbar(_ file: URL) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(zbarimg))
        // -Sbinary gives the stored bytes as they are: byte mode has no charset (we write no ECI header), and zbar
        // otherwise guesses one, now and then taking short UTF-8 Chinese for Shift JIS.
        process.arguments = ["--raw", "-q", "-Sbinary", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
