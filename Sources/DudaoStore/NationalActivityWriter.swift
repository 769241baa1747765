import DudaoCore
import SQLKit

/// Writes a `NationalActivity` for the schools of the registry: inspectors, responsibilities,
/// signed visits, rectification cases and the audit entries the platform would have written
/// for them (a visit signed, a case opened), in batches through `BulkInsert` on the caller's
/// transaction. For benchmarks (`dudao generate activity`); refuses a database that already
/// has inspectors, so it never mixes with real work.
public struct NationalActivityWriter: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public struct Counts: Sendable, Equatable {
        public var schools = 0
        public var inspectors = 0
        public var visits = 0
        public var cases = 0
    }

    public func write(_ activity: NationalActivity, progress: (Counts) -> Void = { _ in }) async throws -> Counts {
        let existing = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("inspectors").first()
        guard try existing?.decode(column: "n", as: Int.self) == 0 else {
            throw StoreInvariant("the database already has inspectors: generate activity into a database with returns only")
        }
        let schools = try await db.select().columns("code", "county_code", "name").from("schools").orderBy("county_code").orderBy("code").all()
            .map {
                NationalActivity.SchoolRef(
                    code: try $0.decode(column: "code", as: String.self), county: try $0.decode(column: "county_code", as: String.self),
                    name: try $0.decode(column: "name", as: String.self))
            }
        var counts = Counts(schools: schools.count)
        let (inspectors, responsible) = activity.staff(for: schools)
        for batch in inspectors.chunked(20_000) {
            try await Self.inspectors.run(
                batch.map { [.text($0.id), .text($0.name), .text($0.phone), .text($0.kind.rawValue), .text($0.regionCode), .textOrNull($0.zone)] },
                on: db)
        }
        counts.inspectors = inspectors.count
        let since = String(activity.until.prefix(4)) + "-09-01"
        for (start, batch) in zip(stride(from: 0, to: schools.count, by: 20_000), schools.chunked(20_000)) {
            try await Self.responsibilities.run(batch.enumerated().map { [.text($1.code), .text(responsible[start + $0]), .text(since)] }, on: db)
        }

        var visits: [[BulkInsert.Cell]] = []
        var cases: [[BulkInsert.Cell]] = []
        var audit: [AuditEntry] = []
        func flush() async throws {
            try await Self.visits.run(visits, on: db)
            try await Self.cases.run(cases, on: db)
            try await AuditLog(db).record(audit)
            counts.visits += visits.count
            counts.cases += cases.count
            visits.removeAll(keepingCapacity: true)
            cases.removeAll(keepingCapacity: true)
            audit.removeAll(keepingCapacity: true)
            progress(counts)
        }
        // The generator calls back synchronously; the rows of a few thousand schools are
        // gathered, then written.
        var pending: [NationalActivity.SchoolActivity] = []
        var cursor = 0
        while cursor < schools.count {
            let end = min(cursor + 5_000, schools.count)
            pending.removeAll(keepingCapacity: true)
            activity.slice(cursor..<end, of: schools, responsible: responsible) { pending.append($0) }
            for school in pending {
                for v in school.visits {
                    visits.append([
                        .text(v.id), .text(v.school), .text(v.county), .text(v.inspector), .text(v.date), .text(v.kind.rawValue),
                        .text(v.checklist), .text("{}"), .text("校长、分管副校长、班主任代表"), .text(""), .textOrNull(nil),
                        .text(VisitStatus.signed.rawValue), .integer(1), .text(v.date + "T16:00:00.000Z"),
                    ])
                    audit.append(
                        AuditEntry(
                            at: v.date + "T16:00:00.000Z", actor: v.inspector, action: "sign", objectType: "visit", objectId: v.id, oldValue: nil,
                            newValue: "\(v.kind.rawValue) \(v.date)", regionCode: v.county))
                }
                for (visit, c) in school.cases {
                    cases.append([
                        .text(c.id), .textOrNull(visit), .text(c.schoolCode), .text(c.countyCode), .text(c.category), .text(c.description),
                        .text(c.assignedUnit), .text(c.responsiblePerson), .text(c.deadline), .text(c.state.rawValue), .text(c.openedOn),
                        .textOrNull(c.closedOn), .integer(c.reopenCount), .integer(1),
                    ])
                    audit.append(
                        AuditEntry(
                            at: c.openedOn + "T16:30:00.000Z", actor: "generator", action: "open", objectType: "rectification", objectId: c.id,
                            oldValue: nil, newValue: "\(c.category): \(c.description); deadline \(c.deadline)", regionCode: c.countyCode))
                }
            }
            try await flush()
            cursor = end
        }
        try await DataVersions(db, .supervision).bump(Set(schools.map(\.county)), at: activity.until + "T16:00:00.000Z")
        return counts
    }

    static let inspectors = BulkInsert(table: "inspectors", columns: ["id", "name", "phone", "kind", "region_code", "zone"], conflict: "")
    static let responsibilities = BulkInsert(table: "responsibilities", columns: ["school_code", "inspector_id", "since"], conflict: "")
    static let visits = BulkInsert(
        table: "visits",
        columns: [
            "id", "school_code", "county_code", "inspector_id", "visit_date", "kind", "checklist_id", "answers", "people_met", "notes",
            "location", "status", "version", "updated_at",
        ], conflict: "")
    static let cases = BulkInsert(
        table: "rectifications",
        columns: [
            "id", "visit_id", "school_code", "county_code", "category", "description", "assigned_unit", "responsible_person", "deadline",
            "state", "opened_on", "closed_on", "reopen_count", "version",
        ], conflict: "")
}
