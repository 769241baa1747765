import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation

/// School returns: importing a file (`importFile`, streamed) or a parsed batch (`importBatch`),
/// and editing one row (`edit`). An import is one transaction: rows are checked and written a
/// chunk at a time, and any error anywhere refuses the whole file with every problem listed.
public struct Returns: Sendable {
    let services: Services
    let rules: ValidationRuleSet
    /// A file of about this many rows or more into an empty registry is a first load
    /// (`FirstLoad`: PostgreSQL's keys and secondary indexes re-made once at the end).
    let bulkLoadRows: Int

    /// Rows checked and written together.
    static let chunk = 2000
    /// An import stops reading after this many errors (the report says so): a file that is
    /// wrong throughout does not need a million messages, nor the memory to hold them.
    static let errorLimit = 1000

    public init(_ services: Services, rules: ValidationRuleSet = .standard, bulkLoadRows: Int = 50_000) {
        self.services = services
        self.rules = rules
        self.bulkLoadRows = bulkLoadRows
    }

    public func rules(_ rules: ValidationRuleSet) -> Returns { Returns(services, rules: rules, bulkLoadRows: bulkLoadRows) }

    /// The same use case with another first-load threshold (tests use a small one).
    public func bulkLoad(from rows: Int) -> Returns { Returns(services, rules: rules, bulkLoadRows: rows) }

    /// Imports a CSV (streamed in bounded memory) or XLSX file.
    /// - Parameter scope: when given, every row must be a school it accepts (the acting user's).
    public func importFile(
        _ url: URL, year: Int?, actor: String, scope: (@Sendable (School) -> Bool)? = nil
    ) async throws -> ImportReport {
        let (rules, bulkLoadRows) = (self.rules, self.bulkLoadRows)
        return try await services.transaction { tx, now in
            let source = try Table.rows(url)
            var reader = ReturnsFileReader(header: try source.header(), file: source.name, year: year)
            // About 130 bytes a row in a CSV (an .xlsx holds more rows a byte: the guess only sizes indexes).
            let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
            let expected = bytes / 130
            reader.expect(rows: expected)
            let file = Reading(source, reader)
            guard file.reader.acceptsRows else { throw ImportRejected(issues: file.reader.issues) }
            let firstLoad = expected >= bulkLoadRows ? try await FirstLoad.begin(on: tx, expectedRows: expected) : nil
            let importer = ReturnImporter(tx, rules: rules)
            var run = ReturnImporter.Run(
                source: source.name, supplied: file.reader.suppliedFields, columnNames: file.reader.columnNames, actor: actor,
                at: now.timestamp)
            // A pipeline: chunk N-1 is written while chunk N is checked and chunk N+1 read and
            // parsed on a thread of its own. The database is used by one step at a time (N's
            // reads come before N-1's writes begin); N's checks see N-1's rows through the
            // overlay, earlier ones in the database.
            var chunk = try Self.nextChunk(file, scope: scope)
            var pending: ReturnImporter.Planned?
            while !chunk.isEmpty {
                let found = try await importer.lookups(chunk, &run)
                let previous = pending
                async let writing = Self.write(previous, importer)
                async let reading = Self.nextChunkOnAThread(file, scope: scope)
                let planned = importer.plan(chunk, found, overlay: previous?.written ?? [:], &run)
                let next = try await reading
                if let written = try await writing { run.absorb(written) }
                pending = planned
                chunk = next
                if Self.tooMany(&file.reader, run) { break }
            }
            // A file past the error limit is refused: its last chunk need not be written.
            if let pending, !Self.tooMany(&file.reader, run) { run.absorb(try await importer.write(pending)) }
            _ = Self.tooMany(&file.reader, run)
            file.reader.finishRows()
            let report = try await importer.finish(run, fileRows: file.reader.rows, schools: file.reader.schools, fileIssues: file.reader.issues)
            try await firstLoad?.finish(on: tx)
            return report
        }
    }

    /// Imports rows already parsed (the demo, tests): the same checks and writes as a file.
    public func importBatch(_ batch: ReturnBatch, actor: String) async throws -> ImportReport {
        let rules = self.rules
        return try await services.transaction { tx, now in
            let importer = ReturnImporter(tx, rules: rules)
            var run = ReturnImporter.Run(
                source: batch.source, supplied: batch.suppliedFields, columnNames: batch.columnNames, actor: actor,
                at: now.timestamp)
            var rows: [ReturnKey: Int] = [:]
            for record in batch.records { rows[record.data.key] = record.sourceRow }
            for start in stride(from: 0, to: batch.records.count, by: Self.chunk) {
                run = try await importer.taking(Array(batch.records[start..<min(start + Self.chunk, batch.records.count)]), run)
            }
            return try await importer.finish(
                run, fileRows: rows, schools: Set(batch.records.map(\.school.code)).count, fileIssues: batch.issues)
        }
    }

    private static func write(_ planned: ReturnImporter.Planned?, _ importer: ReturnImporter) async throws -> ReturnImporter.Written? {
        guard let planned else { return nil }
        return try await importer.write(planned)
    }

    /// The file being imported and its reader, used by one step at a time: the thread reading
    /// the next chunk, or the import between chunks. A class, so that handing it over does not
    /// copy the reader's indexes of every row read so far.
    final class Reading: @unchecked Sendable {
        let source: any RowSource
        var reader: ReturnsFileReader

        init(_ source: any RowSource, _ reader: ReturnsFileReader) {
            self.source = source
            self.reader = reader
        }
    }

    /// Up to `chunk` rows that parsed (and are in scope); empty at the end of the file.
    static func nextChunk(_ file: Reading, scope: (@Sendable (School) -> Bool)?) throws -> [ReturnRecord] {
        var chunk: [ReturnRecord] = []
        chunk.reserveCapacity(Self.chunk)
        while chunk.count < Self.chunk, file.reader.errorCount < Self.errorLimit, let (row, cells) = try file.source.next() {
            guard let record = file.reader.read(cells, row: row) else { continue }
            if let scope, !scope(record.school) {
                file.reader.add(Self.outOfScope(record, file: file.source.name, columns: file.reader.columnNames))
                continue
            }
            chunk.append(record)
        }
        return chunk
    }

    /// `nextChunk` on a thread of its own, not one of the few the tasks share: reading and
    /// parsing take as long as checking, and the task writing the chunk before must not wait
    /// for a thread to send its next statement.
    static func nextChunkOnAThread(_ file: Reading, scope: (@Sendable (School) -> Bool)?) async throws -> [ReturnRecord] {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try nextChunk(file, scope: scope) })
            }.start()
        }
    }

    static func outOfScope(_ record: ReturnRecord, file: String, columns: [String: String]) -> ImportIssue {
        ImportIssue(
            .error, code: "out_of_scope", file: file, row: record.sourceRow, column: columns["school_code"] ?? "school_code",
            field: "school_code", zh: "学校\(record.school.code)超出本人管辖范围", en: "school \(record.school.code) is outside your scope")
    }

    /// Whether to stop reading: the error limit is reached (said in the report, once).
    static func tooMany(_ reader: inout ReturnsFileReader, _ run: ReturnImporter.Run) -> Bool {
        guard reader.errorCount + run.errorCount >= errorLimit else { return false }
        if !reader.issues.contains(where: { $0.code == "too_many_errors" }) {
            reader.add(
                ImportIssue(
                    .error, code: "too_many_errors", file: reader.file,
                    zh: "错误超过 \(errorLimit) 处，已停止检查；请先改正以上错误",
                    en: "more than \(errorLimit) errors; checking stopped here, correct these first"))
        }
        return true
    }

    /// Saves one row if it still has `expectedVersion` (0 for a new row); returns the new version.
    public func edit(school: School, data: StageReturn, expectedVersion: Int, reasons: [String: String], actor: String) async throws -> Int {
        let explained = try await ReturnEditor(services.reads, rules: rules).check(data, reasons: reasons)
        let rules = self.rules
        return try await services.transaction { tx, now in
            try await ReturnEditor(tx, rules: rules).store(
                school: school, data: data, expectedVersion: expectedVersion, explained: explained,
                actor: actor, at: now.timestamp)
        }
    }
}
