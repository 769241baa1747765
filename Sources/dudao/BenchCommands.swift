import ArgumentParser
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Synchronization

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a national-scale returns data set (canonical CSV) for benchmarks.")
    @Option(help: "Number of schools") var schools = 200_000
    @Option(help: "Number of counties (spread over the 31 mainland provinces)") var counties = 2850
    @Option(help: "Output directory (returns.csv is written there)") var out: String
    @Option(help: "Random seed") var seed: UInt64 = 7

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: out).appendingPathComponent("returns.csv")
        FileManager.default.createFile(atPath: path.path, contents: nil)
        let handle = try FileHandle(forWritingTo: path)
        var buffer = CSVTable.write(Table(name: "", header: ReturnColumns.canonical, rows: []))
        var rows = 0
        var schoolCodes = Set<String>()
        try NationalDataset.generate(schools: schools, counties: counties, seed: seed) { record in
            let table = ReturnsTemplate.table([record])
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
            "wrote \(rows) rows for \(schoolCodes.count) schools in \(min(counties, NationalDataset.counties(limit: counties).count)) counties to \(path.path)"
        )
    }
}

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks.", subcommands: [BenchEvaluate.self, BenchRecompute.self])
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
        var schools: [String: [String: School]] = [:]
        var rows: [String: [StageReturn]] = [:]
        for r in records {
            schools[r.school.countyCode, default: [:]][r.school.code] = r.school
            rows[r.school.countyCode, default: []].append(r.data)
        }
        let catalog = RegionCatalog.standard
        counties = rows.keys.sorted().map { code in
            // In code order, as the store returns them.
            (
                catalog[code] ?? Region(code: code, name: code, level: .county, parentCode: nil),
                schools[code]!.values.sorted { $0.code < $1.code }, rows[code]!.sorted { $0.schoolCode < $1.schoolCode }
            )
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
