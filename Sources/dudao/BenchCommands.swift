import ArgumentParser
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Synchronization

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate national-scale data sets for benchmarks.", subcommands: [GenerateReturns.self, GenerateActivity.self],
        defaultSubcommand: GenerateReturns.self)
}

struct GenerateReturns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "returns",
        abstract: "Write national-scale returns (canonical CSV): DIR/returns.csv for the newest year, DIR/returns-YEAR.csv for earlier ones.")
    @Option(help: "Number of schools (primary, junior, nine-year, teaching points, special, vocational)") var schools = 200_000
    @Option(help: "Number of kindergartens (one 学前 row each)") var kindergartens = 0
    @Option(help: "Number of counties (spread over the 31 mainland provinces)") var counties = 2850
    @Option(help: "Years of returns, ending with --year (the same schools each year)") var years = 1
    @Option(help: "The newest school year") var year = 2024
    @Option(help: "Output directory") var out: String
    @Option(help: "Random seed") var seed: UInt64 = 7

    func validate() throws {
        guard (1...20).contains(years) else { throw ValidationError("--years must be 1–20") }
        guard schools >= 0, kindergartens >= 0, schools + kindergartens > 0 else {
            throw ValidationError("--schools and --kindergartens must not be negative, and not both 0")
        }
    }

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for y in (year - years + 1)...year {
            let name = y == year ? "returns.csv" : "returns-\(y).csv"
            let path = URL(fileURLWithPath: out).appendingPathComponent(name)
            FileManager.default.createFile(atPath: path.path, contents: nil)
            let handle = try FileHandle(forWritingTo: path)
            // One header for the whole file: the canonical columns and the facts the generator adds.
            let extras = NationalDataset.extraFields
            var buffer = CSVTable.write(Table(name: "", header: ReturnColumns.canonical + extras.map(\.rawValue), rows: []))
            var rows = 0
            var schoolCodes = Set<String>()
            try NationalDataset.generate(schools: schools, kindergartens: kindergartens, counties: counties, year: y, seed: seed) { record in
                let table = ReturnsTemplate.table([record], extras: extras)
                buffer.append(Data((table.rows[0].map(CSVTable.quote).joined(separator: ",") + "\r\n").utf8))
                rows += 1
                schoolCodes.insert(record.school.code)
                if buffer.count > 1 << 20 {
                    handle.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            handle.write(buffer)
            try handle.close()
            print(
                "wrote \(rows) rows of \(y) for \(schoolCodes.count) schools in \(min(counties, NationalDataset.counties(limit: counties).count)) counties to \(path.path)"
            )
        }
    }
}

struct GenerateActivity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract:
            "Add supervision activity to a database holding imported returns: inspectors, each school's inspector, visits, rectification cases and their audit entries."
    )
    @OptionGroup var database: DatabaseOption
    @Option(help: "Responsible inspectors across the nation") var inspectors = 100_000
    @Option(help: "Signed visits") var visits = 2_000_000
    @Option(help: "Rectification cases (opened from visits)") var cases = 1_000_000
    @Option(help: "Years of activity, ending on --until") var years = 5
    @Option(help: "The last day of activity (yyyy-MM-dd; default today)") var until: String?
    @Option(help: "Random seed") var seed: UInt64 = 7

    func validate() throws {
        guard inspectors >= 1, visits >= 0, cases >= 0 else {
            throw ValidationError("--inspectors must be at least 1; --visits and --cases not negative")
        }
        guard (1...20).contains(years) else { throw ValidationError("--years must be 1–20") }
        if let until, DateText.ordinal(until) == nil { throw ValidationError("--until must be a date written yyyy-MM-dd: \(until)") }
    }

    func run() async throws {
        let activity = NationalActivity(
            inspectors: inspectors, visits: visits, cases: cases, years: years, until: until ?? String(Timestamp.now().prefix(10)), seed: seed)
        let clock = ContinuousClock()
        let start = clock.now
        let counts = try await database.with { db in
            try await db.transaction { tx in
                try await NationalActivityWriter(tx).write(activity) { counts in
                    if counts.visits % 500_000 < 20_000 { print("… \(counts.visits) visits, \(counts.cases) cases") }
                }
            }
        }
        print(
            "wrote \(counts.inspectors) inspectors for \(counts.schools) schools, \(counts.visits) visits and \(counts.cases) rectification cases in \(clock.now - start)"
        )
    }
}

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks.", subcommands: [BenchEvaluate.self, BenchRecompute.self, BenchSearch.self])
}

struct BenchEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Time loading DIR/returns.csv and evaluating every county (quality-2017).")
    @Argument(help: "Directory holding returns.csv (from `dudao generate`)") var dir: String
    @Option(help: "Programme id") var programme = ProgrammeCatalog.defaultId
    @Option(name: .customLong("repeat"), help: "Evaluation repetitions (the best and median are reported)") var repetitions: Int = 5
    @Option(help: "Write indicators.csv and counties.csv here (for benchmarks/compare_outputs.py)") var out: String?
    @Option(help: "Worker threads for evaluation (default: all cores)") var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        guard let programme = ProgrammeCatalog.programme(id: programme) else { throw ValidationError("unknown programme") }
        let clock = ContinuousClock()
        let url = URL(fileURLWithPath: dir).appendingPathComponent("returns.csv")
        var table: Table!
        let read = try clock.measure { table = try CSVTable.read(url) }
        var batch: ReturnBatch!
        let parse = clock.measure { batch = ReturnsFileParser.parse(table, year: nil) }
        guard batch.errors.isEmpty else { throw ValidationError("data set has errors: \(batch.errors.prefix(3))") }
        var index: CountyIndex!
        let group = clock.measure { index = CountyIndex(batch.records) }
        var results: [CountyEvaluation] = []
        var times: [Duration] = []
        for _ in 0..<max(1, repetitions) {
            results = []  // free the previous run's results outside the timed block
            times.append(clock.measure { results = index.evaluateAll(programme, threads: threads) })
        }
        times.sort()
        let passed = results.filter(\.passed).count
        func s(_ d: Duration) -> String { String(format: "%.4f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
        print(
            #"{"impl":"dudao","threads":\#(threads),"rows":\#(batch.records.count),"counties":\#(results.count),"counties_passed":\#(passed),"read_csv_s":\#(s(read)),"parse_s":\#(s(parse)),"group_s":\#(s(group)),"load_s":\#(s(read + parse + group)),"evaluate_s":\#(s(times[0])),"evaluate_median_s":\#(s(times[times.count / 2])),"total_s":\#(s(read + parse + group + times[0]))}"#
        )
        if let out { try BenchOutput.write(results, to: out) }
    }
}

struct BenchRecompute: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recompute",
        abstract: "Time a national recompute from the database: every school and return row of the year read, every county evaluated.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "School year (default: the newest with returns)") var year: Int?
    @Option(help: "Programme id") var programme = ProgrammeCatalog.defaultId
    @Option(help: "Worker threads for evaluation (default: all cores)") var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() async throws {
        guard let programme = ProgrammeCatalog.programme(id: programme) else { throw ValidationError("unknown programme") }
        let (year, threads) = (self.year, self.threads)
        let line = try await database.with { db in
            let clock = ContinuousClock()
            let start = clock.now
            guard let year = try await EvaluationService(db.sql).resolveYear(year, region: "") else { throw ValidationError("no returns stored") }
            let schools = try await SchoolRepository(db.sql).list(under: "")
            let rows = try await ReturnRepository(db.sql).rows(under: "", year: year)
            let loaded = clock.now
            let index = CountyIndex(schools: schools, rows: rows)
            let grouped = clock.now
            let results = index.evaluateAll(programme, threads: threads)
            let done = clock.now
            func s(_ d: Duration) -> String { String(format: "%.4f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
            return
                #"{"impl":"dudao-\#(db.backend.rawValue)","threads":\#(threads),"year":\#(year),"schools":\#(schools.count),"rows":\#(rows.count),"counties":\#(results.count),"counties_passed":\#(results.filter(\.passed).count),"load_s":\#(s(loaded - start)),"group_s":\#(s(grouped - loaded)),"evaluate_s":\#(s(done - grouped)),"total_s":\#(s(done - start))}"#
        }
        print(line)
    }
}

/// Records grouped by county once, so that evaluation time is evaluation only.
struct CountyIndex {
    var counties: [(region: Region, schools: [School], rows: [StageReturn])]

    init(_ records: [ReturnRecord]) {
        // Each county's records by position (one look-up a record), then in school order.
        var byCounty: [String: [Int]] = [:]
        for (index, record) in records.enumerated() { byCounty[record.school.countyCode, default: []].append(index) }
        let catalog = RegionCatalog.standard
        counties = byCounty.keys.sorted().map { code in
            // In code order, as the store returns them.
            let order = byCounty[code]!.sorted { records[$0].school.code < records[$1].school.code }
            var schools: [School] = []
            for index in order where schools.last?.code != records[index].school.code { schools.append(records[index].school) }
            return (catalog[code] ?? Region(code: code, name: code, level: .county, parentCode: nil), schools, order.map { records[$0].data })
        }
    }

    /// From the store's lists (schools in code order, rows in school order): no record copies.
    init(schools: [School], rows: [StageReturn]) {
        var county: [String: String] = [:]
        county.reserveCapacity(schools.count)
        var schoolsByCounty: [String: [School]] = [:]
        for school in schools {
            county[school.code] = school.countyCode
            schoolsByCounty[school.countyCode, default: []].append(school)
        }
        var rowsByCounty: [String: [StageReturn]] = [:]
        for row in rows {
            guard let code = county[row.schoolCode] else { continue }
            rowsByCounty[code, default: []].append(row)
        }
        let catalog = RegionCatalog.standard
        counties = rowsByCounty.keys.sorted().map { code in
            (
                catalog[code] ?? Region(code: code, name: code, level: .county, parentCode: nil),
                schoolsByCounty[code]!.sorted { $0.code < $1.code }, rowsByCounty[code]!
            )
        }
    }

    func evaluateAll(_ programme: Programme, threads: Int) -> [CountyEvaluation] {
        let results = Mutex([CountyEvaluation?](repeating: nil, count: counties.count))
        let workers = max(1, threads)
        let counties = self.counties
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local: [(Int, CountyEvaluation)] = []
            for i in stride(from: worker, to: counties.count, by: workers) {
                let c = counties[i]
                local.append(
                    (i, CountyEvaluator.evaluate(programme: programme, region: c.region, year: c.rows[0].year, schools: c.schools, returns: c.rows)))
            }
            results.withLock { all in for (i, e) in local { all[i] = e } }
        }
        return results.withLock { $0.map { $0! } }
    }
}

/// The peer scripts' output format (benchmarks/peer_evaluate.py), for cross-checking.
enum BenchOutput {
    static func write(_ results: [CountyEvaluation], to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var indicators: [[String]] = []
        var counties: [[String]] = []
        for e in results {
            for s in e.stages.sorted(by: { $0.stage.rawValue < $1.stage.rawValue }) where s.passed != nil {
                for i in s.indicators.sorted(by: { $0.id < $1.id }) {
                    let d = i.dispersion
                    indicators.append([
                        e.region.code, s.stage.rawValue, i.id, d.map { NumberText.fixed($0.mean, 6) } ?? "",
                        d.map { NumberText.fixed($0.standardDeviation, 6) } ?? "", d.map { NumberText.fixed($0.cv, 6) } ?? "",
                    ])
                }
                counties.append([
                    e.region.code, s.stage.rawValue, String(s.schools.count), String(s.schoolsPassed), s.passed == true ? "true" : "false",
                ])
            }
        }
        let base = URL(fileURLWithPath: dir)
        try Data(
            ([["county_code", "stage", "indicator", "mean", "sd", "cv"]] + indicators).map { $0.joined(separator: ",") }.joined(separator: "\n").utf8
                + [10]
        )
        .write(to: base.appendingPathComponent("indicators.csv"))
        try Data(
            ([["county_code", "stage", "schools", "schools_passed", "passed"]] + counties).map { $0.joined(separator: ",") }.joined(separator: "\n")
                .utf8 + [10]
        )
        .write(to: base.appendingPathComponent("counties.csv"))
    }
}

/// `dudao bench search`: fills a library with generated documents (once) and times searches of
/// 2-, 3- and 6-character terms against a plain `LIKE '%…%'` scan of the same rows
/// (both return a page of 20 and the total).
struct BenchSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Time document search (trigram index + short-term scan) against a LIKE scan, p50/p99.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Documents to generate when the library has fewer") var documents = 50_000
    @Option(help: "Runs per query") var runs = 30

    static let queries: [(label: String, terms: [String])] = [
        ("2 characters", ["督导", "均衡", "整改", "校园"]),
        ("3 characters", ["督办函", "差异系", "课后服", "双减工"]),
        ("6 characters", ["优质均衡发展", "责任督学挂牌", "免试就近入学", "校园安全隐患"]),
    ]

    func run() async throws {
        let (documents, runs) = (self.documents, self.runs)
        try await database.with { db in
            let repository = DocumentRepository(db.sql)
            let have = try await repository.count()
            if have < documents {
                let started = ContinuousClock.now
                let corpus = DocumentCorpus.make(count: documents - have, seed: UInt64(have) + 11)
                let blob = Data("bench".utf8)
                let checksum = DocumentRepository.checksum(blob)
                for chunk in stride(from: 0, to: corpus.count, by: 1000) {
                    try await db.transaction { tx in
                        let r = DocumentRepository(tx)
                        if !(try await r.hasBlob(checksum)) { try await r.insertBlob(checksum, blob) }
                        for item in corpus[chunk..<min(chunk + 1000, corpus.count)] {
                            let id = UUID().uuidString.lowercased()
                            try await r.insert(
                                LibraryDocument(
                                    id: id, title: item.title, kind: item.kind, regionCode: item.region, year: item.year, tags: [], isPublic: false,
                                    seriesId: id,
                                    version: 1, checksum: checksum, filename: "bench.txt", contentType: "text/plain", size: item.text.utf8.count,
                                    textStatus: .extracted, uploadedBy: "bench", uploadedAt: "2026-01-01T00:00:00.000Z"), bodyText: item.text)
                        }
                    }
                }
                print("generated \(corpus.count) documents in \(started.duration(to: .now))")
            }
            let total = try await repository.count()
            print("library: \(total) documents, backend \(db.sql.dialect.name)")
            func percentile(_ xs: [Duration], _ p: Double) -> Double {
                let sorted = xs.sorted()
                let d = sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
                return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
            }
            for (label, terms) in Self.queries {
                var ours: [Duration] = [], scan: [Duration] = []
                var perTerm: [String] = []
                for term in terms {
                    let q = SearchQuery(term)!
                    var mine: [Duration] = [], theirs: [Duration] = []
                    var found = 0
                    for _ in 0..<runs {
                        let t0 = ContinuousClock.now
                        let (n, _) = try await repository.search(q, .everything, limit: 20, offset: 0)
                        mine.append(t0.duration(to: .now))
                        let t1 = ContinuousClock.now
                        let (m, _) = try await repository.searchByScan(q, limit: 20)
                        theirs.append(t1.duration(to: .now))
                        guard n == m else { throw ValidationError("\(term): search found \(n), the scan \(m)") }
                        found = n
                    }
                    ours += mine
                    scan += theirs
                    perTerm.append(String(format: "%@ %d matches %.1f/%.1f ms", term, found, percentile(mine, 0.5), percentile(theirs, 0.5)))
                }
                let (p50, p99, s50, s99) = (percentile(ours, 0.5), percentile(ours, 0.99), percentile(scan, 0.5), percentile(scan, 0.99))
                print(
                    String(
                        format: "%@: search p50 %.1f ms p99 %.1f ms · LIKE scan p50 %.1f ms p99 %.1f ms · scan ÷ search (p50) %.1f×",
                        label, p50, p99, s50, s99, s50 / p50))
                print("    per term (search/scan p50): " + perTerm.joined(separator: "; "))
            }
        }
    }
}
