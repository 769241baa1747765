import DudaoCore
import DudaoFiles
import Foundation
import Testing
import ZIPFoundation

@testable import DudaoWeb

#if canImport(Glibc)
    import Glibc
#endif

/// Feeds every reader of client bytes with mutated and generated input: the CSV and XLSX
/// readers (with the returns parser behind them), the JSON bodies of the API, the checklist
/// condition parser and the multipart parser. Each case must end in a value or in a refusal
/// of a known type with a readable message; nothing may crash or hang, and memory stays
/// bounded. `swift test` runs a small seeded set; the full run (docs/SECURITY.md):
///
///     DUDAO_FUZZ_CASES=100000 swift test -c release --filter DudaoFuzzTests
@Suite("Fuzzing the readers of client bytes", .serialized)
struct FuzzTests {
    static var cases: Int { ProcessInfo.processInfo.environment["DUDAO_FUZZ_CASES"].flatMap { Int($0) } ?? 1_500 }
    static var seed: UInt64 { ProcessInfo.processInfo.environment["DUDAO_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_125 }

    struct Tally: CustomStringConvertible {
        var accepted = 0
        var refused = 0
        var slowest: Double = 0
        var refusals: [String: Int] = [:]
        var description: String {
            "\(accepted) accepted, \(refused) refused, slowest case \(String(format: "%.1f", slowest * 1000)) ms, refusals \(refusals.sorted { $0.key < $1.key })"
        }
    }

    /// Runs `body` on `cases` inputs; a refusal must be one of `known` and say something.
    static func run(
        _ name: String, seeds: [[UInt8]], dictionary: [String], generate: ((inout Mutator) -> [UInt8])? = nil,
        known: (any Error) -> Bool, _ body: ([UInt8]) throws -> Void
    ) -> Tally {
        // Swift's hashValue changes per process; the seed must not.
        let salt = name.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        var mutator = Mutator(seed: seed ^ salt, dictionary: dictionary.map { Array($0.utf8) })
        var tally = Tally()
        for i in 0..<cases {
            let input: [UInt8]
            if let generate, i % 4 == 3 { input = generate(&mutator) } else { input = mutator.mutate(seeds[i % seeds.count]) }
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                try body(input)
                tally.accepted += 1
            } catch {
                tally.refused += 1
                let text = String(describing: error)
                #expect(known(error), "\(name): unexpected error type \(type(of: error)): \(text.prefix(200))")
                #expect(!text.isEmpty && !text.contains("(null)"), "\(name): unclear refusal '\(text.prefix(200))'")
                tally.refusals["\(type(of: error))", default: 0] += 1
            }
            tally.slowest = max(tally.slowest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        print("fuzz \(name): \(cases) cases (seed \(seed)): \(tally)")
        return tally
    }

    static var maxResidentMB: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }

    // MARK: seeds

    static let csvSeed = """
        学年,学校标识码,学校名称,区县代码,学校类型,办学性质,城乡,学段,在校生数,专任教师数,图书册数,体育运动场馆面积
        2024,1411081001,禹州市第一小学,411081,小学,公办,城区,小学,1200,70,"36,000",5400.5
        2024,1411081002,禹州市实验中学,411081,初级中学,公办,镇区,初中,900,66,27000,4100

        """

    static let checklistConditions = [
        ". >= 0 and . <= students_enrolled", "students_left > 0", "main_reason == 'other'",
        "(largest_class - 45) * 2 <= students_enrolled or has_canteen == 'yes'",
    ]

    // MARK: tests

    @Test func csvReaderAndReturnsParser() {
        let t = Self.run(
            "csv", seeds: [Array(Self.csvSeed.utf8), [0xEF, 0xBB, 0xBF] + Array(Self.csvSeed.utf8)],
            dictionary: ["\"", ",", "\r\n", "\n", "\u{FEFF}", "学校标识码", "-1", "1e999", "NaN", "inf", "9223372036854775807", "\"\"", "，", "\0"],
            generate: { m in m.bytes(max: 4096) },
            known: { $0 is FileError }
        ) { input in
            let table = try CSVTable.parse(Data(input), name: "fuzz.csv")
            _ = ReturnsFileParser.parse(table, year: nil)
        }
        #expect(t.accepted + t.refused == Self.cases)
        #expect(Self.maxResidentMB < 4096)
    }

    @Test func xlsxReader() throws {
        let table = try CSVTable.parse(Data(Self.csvSeed.utf8), name: "seed.csv")
        let workbook = try XLSXWriter.write([table])
        // Whole packages mutated (mostly refused at the zip level) and sheets whose XML is
        // mutated inside a valid package (reaching the XML and cell parsing).
        let sheetXML = Array(
            #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>学年</t></is></c><c r="B1" t="inlineStr"><is><t>学校标识码</t></is></c></row><row r="2"><c r="A2"><v>2024</v></c><c r="B2" t="inlineStr"><is><t>1411081001</t></is></c></row></sheetData></worksheet>"#
                .utf8)
        var packaged = 0
        let t = Self.run(
            "xlsx", seeds: [Array(workbook), sheetXML],
            dictionary: [
                "<row r=\"1048577\">", "<c r=\"ZZZZZZ2\">", "<c r=\"XFD1\" t=\"s\"><v>99999999</v></c>", "</row>",
                "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", "&a;",
                "<", ">", "\"", "PK\u{3}\u{4}", "\0",
            ],
            known: { $0 is FileError }
        ) { input in
            let data = input.starts(with: [0x50, 0x4B]) ? Data(input) : try Self.package(sheet: input)
            if !input.starts(with: [0x50, 0x4B]) { packaged += 1 }
            // Both readers, each to its end or its refusal: the rows streamed from a parsing
            // thread, and the whole sheet in memory.
            var failure: (any Error)?
            do {
                let stream = try XLSXRowStream(data, name: "fuzz.xlsx")
                _ = try stream.header()
                while try stream.next() != nil {}
            } catch { failure = error }
            do { _ = try XLSXReader.read(data, name: "fuzz.xlsx") } catch { failure = failure ?? error }
            if let failure { throw failure }
        }
        #expect(t.accepted + t.refused == Self.cases && packaged > 0)
        #expect(Self.maxResidentMB < 4096)
    }

    @Test func jsonBodies() {
        let visit = Array(
            #"{"id":"V-1","version":1,"date":"2026-11-24","answers":{"is_boarding":{"bool":false},"students_enrolled":{"number":555},"ethos_order":{"choice":"good"}},"findings":[{"category":"safety","description":"x"}],"deadline_days":30,"sign":true}"#
                .utf8)
        let edit = Array(#"{"version":3,"values":{"students":1200,"books":null},"reasons":{"r1":"因合并"}}"#.utf8)
        let t = Self.run(
            "json", seeds: [visit, edit],
            dictionary: ["{", "}", "[", "]", "\"", ":", ",", "null", "1e400", "-0", "\"\\ud800\"", "9223372036854775808", "true", "\"2024-02-30\""],
            known: { $0 is DecodingError || $0 is FieldError }
        ) { input in
            let data = Data(input)
            if let body = try? JSONDecoder().decode(VisitRequest.self, from: data) {
                _ = try Checked.date(body.date, field: "date")
                _ = try Checked.integer(body.deadline_days ?? 30, field: "deadline_days", in: Checked.dayCounts)
                if let id = body.id { _ = try Checked.identifier(id, field: "id") }
                return
            }
            let body = try JSONDecoder().decode(ReturnEditRequest.self, from: data)
            for (name, value) in body.values {
                if let field = ReturnField(rawValue: name), let value { _ = try field.check(value) }
            }
        }
        #expect(t.accepted + t.refused == Self.cases)
    }

    @Test func checklistConditions() {
        let t = Self.run(
            "condition", seeds: Self.checklistConditions.map { Array($0.utf8) },
            dictionary: ["(", ")", " and ", " or ", "==", "!=", ">=", "<", "'", "\"", "9223372036854775807", "1e308", "-", ".", " ", "*", "/"],
            generate: { m in m.bytes(max: 200) },
            known: { $0 is ExpressionError }
        ) { input in
            _ = try Condition.parse(String(decoding: input, as: UTF8.self))
        }
        #expect(t.accepted + t.refused == Self.cases && t.accepted > 0)
        // Deeply nested input is refused, not a stack overflow.
        #expect(throws: ExpressionError.self) {
            try Condition.parse(String(repeating: "(", count: 100_000) + "a == 1" + String(repeating: ")", count: 100_000))
        }
    }

    @Test func multipartParser() {
        let boundary = "b0undary"
        let seed = Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"notes\"\r\n\r\n校长\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\u{FF}\u{D8}\u{FF}abc\r\n--\(boundary)--\r\n"
                .utf8)
        var parts = 0
        let t = Self.run(
            "multipart", seeds: [seed],
            dictionary: ["--\(boundary)", "\r\n\r\n", "\r\n", "Content-Disposition: form-data; name=\"", "filename=\"", "\"", ";", "--"],
            generate: { m in m.bytes(max: 2048) },
            known: { _ in false }
        ) { input in
            let form = MultipartForm.parse(Data(input), boundary: boundary)
            parts += form.parts.count
            _ = form.fields
            _ = form.files.map { UploadKind.recognise($0.data) }
        }
        #expect(t.refused == 0 && parts > 0)
        // Content types: only multipart/form-data with a 1–70 character boundary is read.
        #expect(MultipartForm.boundary(of: "multipart/form-data; boundary=\"abc\"") == "abc")
        #expect(MultipartForm.boundary(of: "multipart/form-data; boundary=") == nil)
        #expect(MultipartForm.boundary(of: "text/plain; boundary=abc") == nil)
        #expect(MultipartForm.boundary(of: "multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
    }

    @Test func urlEncodedForms() {
        let seed = Array("csrf=0f3a&year=2024&title=%E5%AD%A6%E5%B9%B4&schools=1411081001%0A1411081002&note=a+b".utf8)
        let t = Self.run(
            "form", seeds: [seed], dictionary: ["&", "=", "%", "%E5", "+", "[", "]", "[]=", "a[b]=", "%00", "%ZZ"],
            generate: { m in m.bytes(max: 512) },
            known: { $0 is FieldError }
        ) { input in
            let form = try FormData.decode(String(decoding: input, as: UTF8.self))
            _ = try? form.year()
            _ = try? form.text("title")
        }
        #expect(t.accepted + t.refused == Self.cases && t.accepted > 0)
    }

    /// The parts of a valid one-sheet workbook other than its worksheet.
    static let frame: [(path: String, data: Data)] = {
        let base = try! XLSXWriter.write([Table(name: "s", header: ["a"], rows: [])])
        let archive = try! Archive(data: base, accessMode: .read)
        return archive.compactMap { entry in
            guard entry.path != "xl/worksheets/sheet1.xml" else { return nil }
            var data = Data()
            _ = try! archive.extract(entry) { data.append($0) }
            return (entry.path, data)
        }
    }()

    /// A valid package whose first worksheet is `sheet` (stored, not compressed).
    static func package(sheet: [UInt8]) throws -> Data {
        let out = try Archive(accessMode: .create)
        for (path, data) in frame + [("xl/worksheets/sheet1.xml", Data(sheet))] {
            try out.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return out.data!
    }
}

/// Seeded input mutations in the manner of AFL's havoc stage: bit flips, random and
/// interesting bytes, dictionary tokens, deletions, duplications, truncation.
struct Mutator {
    var random: SeededGenerator
    let dictionary: [[UInt8]]
    static let interesting: [UInt8] = [0, 0x7F, 0x80, 0xFF, 0x22, 0x2C, 0x0D, 0x0A, 0x3C, 0x3E, 0x26, 0x5C, 0xE4, 0xC0]

    init(seed: UInt64, dictionary: [[UInt8]]) {
        random = SeededGenerator(seed: seed)
        self.dictionary = dictionary
    }

    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(random.next() % UInt64(n)) }

    mutating func bytes(max: Int) -> [UInt8] {
        let n = below(max)
        var out: [UInt8] = []
        while out.count < n {
            if below(3) == 0, !dictionary.isEmpty {
                out += dictionary[below(dictionary.count)]
            } else {
                out.append(UInt8(truncatingIfNeeded: random.next()))
            }
        }
        return out
    }

    mutating func mutate(_ seed: [UInt8]) -> [UInt8] {
        var b = seed
        for _ in 0..<(1 + below(6)) {
            let at = below(b.count + 1)
            switch below(9) {
            case 0: if at < b.count { b[at] ^= UInt8(1 << below(8)) }
            case 1: if at < b.count { b[at] = UInt8(truncatingIfNeeded: random.next()) }
            case 2: if !dictionary.isEmpty { b.insert(contentsOf: dictionary[below(dictionary.count)], at: at) }
            case 3: b.insert(Self.interesting[below(Self.interesting.count)], at: at)
            case 4: b.removeSubrange(at..<min(b.count, at + below(16) + 1))
            case 5:
                let end = min(b.count, at + below(64) + 1)
                if b.count < 1 << 16 { b.insert(contentsOf: b[at..<end], at: below(b.count + 1)) }
            case 6: b = Array(b.prefix(at))
            case 7:
                if !dictionary.isEmpty {
                    let token = dictionary[below(dictionary.count)]; for _ in 0..<below(50) { b.insert(contentsOf: token, at: at) }
                }
            default: if at < b.count { b[at] = Self.interesting[below(Self.interesting.count)] }
            }
        }
        return b
    }
}
