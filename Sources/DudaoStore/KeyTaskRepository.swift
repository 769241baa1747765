import DudaoCore
import Foundation
import SQLKit

/// Key targets, their tasks and the progress reports on them; written on the database given.
public struct KeyTaskRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    // MARK: targets

    public func insert(_ t: KeyTarget) async throws {
        try await db.insert(into: "key_targets").columns("id", "region_code", "year", "title", "description", "created_by", "created_at")
            .values(t.id, t.regionCode, t.year, t.title, t.description, t.createdBy, t.createdAt).run()
    }

    public func target(_ id: String) async throws -> KeyTarget? {
        try await db.select().columns("*").from("key_targets").where("id", .equal, id).first().map(Self.target)
    }

    /// Targets set by the offices of `region`, those above it, and those below it, for a year (nil: every year), newest first.
    public func targets(visibleFrom region: String, year: Int? = nil) async throws -> [KeyTarget] {
        var q = db.select().columns("*").from("key_targets")
        if !region.isEmpty {
            // Above: the region's ancestors (a prefix of it); below: codes starting with it.
            let ancestors = RegionCode.ancestors(of: region)
            q = q.where { w in
                w.where("region_code", .in, ancestors + [region, ""])
                    .orWhere { $0.where("region_code", under: region) }
            }
        }
        if let year { q = q.where("year", .equal, year) }
        return try await q.orderBy("year", .descending).orderBy("created_at", .descending).orderBy("id").all().map(Self.target)
    }

    /// Which of these targets have a task owned in `region`'s subtree.
    public func targets(among ids: [String], withTasksUnder region: String) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        var q = db.select().distinct().column("target_id").from("key_tasks").where("target_id", .in, ids)
        q = q.where("region_code", under: region)
        return Set(try await q.all().map { try $0.decode(column: "target_id", as: String.self) })
    }

    // MARK: tasks

    public func insert(tasks: [KeyTask]) async throws {
        for chunk in tasks.chunked(100) {
            var q = db.insert(into: "key_tasks").columns(
                "id", "target_id", "parent_id", "number", "title", "region_code", "unit", "first_responsible", "direct_responsible", "deadline",
                "weight",
                "measure", "measure_target", "measure_baseline", "measure_unit", "metric", "cadence", "position", "created_at")
            for t in chunk {
                let m = Self.measureColumns(t.measure)
                q = q.values(
                    t.id, t.targetId, t.parentId, t.number, t.title, t.regionCode, t.unit, t.firstResponsible, t.directResponsible, t.deadline,
                    t.weight,
                    m.kind, m.target, m.baseline, m.unit, m.metric, t.cadence.rawValue, t.position, t.createdAt)
            }
            try await q.run()
        }
    }

    public func task(_ id: String) async throws -> KeyTask? {
        try await db.select().columns("*").from("key_tasks").where("id", .equal, id).first().map(Self.task)
    }

    public func tasks(target: String) async throws -> [KeyTask] {
        try await db.select().columns("*").from("key_tasks").where("target_id", .equal, target).orderBy("position").orderBy("id").all().map(Self.task)
    }

    /// Tasks of several targets at once (a region's ranking over all its targets).
    public func tasks(targets: [String]) async throws -> [KeyTask] {
        guard !targets.isEmpty else { return [] }
        return try await db.select().columns("*").from("key_tasks").where("target_id", .in, targets).orderBy("position").orderBy("id").all()
            .map(Self.task)
    }

    /// Leaf tasks owned by units in `region`'s subtree whose deadline is on or before `day`
    /// (what is due from an office), with no children.
    public func leaves(ownedUnder region: String, dueBy day: String) async throws -> [KeyTask] {
        var q = db.select().columns("*").from("key_tasks").where("deadline", .lessThanOrEqual, day)
            .where(SQLRaw("NOT EXISTS (SELECT 1 FROM key_tasks c WHERE c.parent_id = key_tasks.id)"))
        q = q.where("region_code", under: region)
        return try await q.orderBy("deadline").orderBy("id").all().map(Self.task)
    }

    static func measureColumns(_ m: KeyTaskMeasure?) -> (kind: String?, target: Double?, baseline: Double?, unit: String?, metric: String?) {
        switch m {
        case nil: (nil, nil, nil, nil, nil)
        case .checkbox: ("checkbox", nil, nil, nil, nil)
        case .number(let t, let b, let u): ("number", t, b, u, nil)
        case .computed(let metric, let t, let b): ("computed", t, b, nil, metric.rawValue)
        }
    }

    // MARK: reports

    public func insert(_ r: ProgressReport) async throws {
        try await db.insert(into: "key_task_reports")
            .columns(
                "id", "task_id", "day", "value", "done", "narrative", "status", "reported_by", "reported_at", "reviewed_by", "reviewed_at",
                "review_note"
            )
            .values(
                r.id, r.taskId, r.day, r.value, r.done.map { $0 ? 1 : 0 }, r.narrative, r.status.rawValue, r.reportedBy, r.reportedAt, r.reviewedBy,
                r.reviewedAt, r.reviewNote
            ).run()
    }

    public func report(_ id: String) async throws -> ProgressReport? {
        try await db.select().columns("*").from("key_task_reports").where("id", .equal, id).first().map(Self.report)
    }

    /// Records the office's decision on a report still awaiting it; false when it was decided meanwhile.
    public func review(_ id: String, status: ReportStatus, by reviewer: String, at: String, note: String?) async throws -> Bool {
        let rows = try await db.update("key_task_reports").set("status", to: status.rawValue).set("reviewed_by", to: reviewer)
            .set("reviewed_at", to: at).set("review_note", to: note).where("id", .equal, id).where("status", .equal, ReportStatus.submitted.rawValue)
            .returning("id").all()
        return !rows.isEmpty
    }

    public func reports(task: String) async throws -> [ProgressReport] {
        try await db.select().columns("*").from("key_task_reports").where("task_id", .equal, task).orderBy("day", .descending)
            .orderBy("reported_at", .descending).all().map(Self.report)
    }

    /// Every report on the tasks of these targets.
    public func reports(targets: [String]) async throws -> [ProgressReport] {
        guard !targets.isEmpty else { return [] }
        return try await db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("key_task_reports"))).from("key_task_reports")
            .join("key_tasks", on: SQLColumn("id", table: "key_tasks"), .equal, SQLColumn("task_id", table: "key_task_reports"))
            .where(SQLColumn("target_id", table: "key_tasks"), .in, SQLBind.group(targets)).all().map(Self.report)
    }

    /// Reports awaiting review on tasks of targets set in `region`'s subtree (what an office has to review).
    public func awaitingReview(under region: String) async throws -> [ProgressReport] {
        var q = db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("key_task_reports"))).from("key_task_reports")
            .join("key_tasks", on: SQLColumn("id", table: "key_tasks"), .equal, SQLColumn("task_id", table: "key_task_reports"))
            .join("key_targets", on: SQLColumn("id", table: "key_targets"), .equal, SQLColumn("target_id", table: "key_tasks"))
            .where(SQLColumn("status", table: "key_task_reports"), .equal, SQLBind(ReportStatus.submitted.rawValue))
        q = q.where(SQLColumn("region_code", table: "key_targets"), under: region)
        return try await q.orderBy(SQLColumn("reported_at", table: "key_task_reports")).all().map(Self.report)
    }

    // MARK: rows

    static func target(_ row: any SQLRow) throws -> KeyTarget {
        KeyTarget(
            id: try row.decode(column: "id", as: String.self), regionCode: try row.decode(column: "region_code", as: String.self),
            year: try row.decode(column: "year", as: Int.self), title: try row.decode(column: "title", as: String.self),
            description: try row.decode(column: "description", as: String.self), createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: try row.decode(column: "created_at", as: String.self))
    }

    static func task(_ row: any SQLRow) throws -> KeyTask {
        let measure: KeyTaskMeasure?
        switch try row.decode(column: "measure", as: String?.self) {
        case nil: measure = nil
        case "checkbox": measure = .checkbox
        case "number":
            measure = .number(
                target: try row.decode(column: "measure_target", as: Double.self),
                baseline: try row.decode(column: "measure_baseline", as: Double.self),
                unit: try row.decode(column: "measure_unit", as: String?.self) ?? "")
        case "computed":
            measure = .computed(
                metric: try row.decode(KeyMetric.self, column: "metric", table: "key_tasks"),
                target: try row.decode(column: "measure_target", as: Double.self),
                baseline: try row.decode(column: "measure_baseline", as: Double.self))
        case let other?: throw UnknownStoredValue(table: "key_tasks", column: "measure", value: other)
        }
        return KeyTask(
            id: try row.decode(column: "id", as: String.self), targetId: try row.decode(column: "target_id", as: String.self),
            parentId: try row.decode(column: "parent_id", as: String?.self), number: try row.decode(column: "number", as: String.self),
            title: try row.decode(column: "title", as: String.self), regionCode: try row.decode(column: "region_code", as: String.self),
            unit: try row.decode(column: "unit", as: String.self), firstResponsible: try row.decode(column: "first_responsible", as: String.self),
            directResponsible: try row.decode(column: "direct_responsible", as: String.self),
            deadline: try row.decode(column: "deadline", as: String.self),
            weight: try row.decode(column: "weight", as: Double?.self), measure: measure,
            cadence: try row.decode(ReportCadence.self, column: "cadence", table: "key_tasks"),
            position: try row.decode(column: "position", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: String.self))
    }

    static func report(_ row: any SQLRow) throws -> ProgressReport {
        ProgressReport(
            id: try row.decode(column: "id", as: String.self), taskId: try row.decode(column: "task_id", as: String.self),
            day: try row.decode(column: "day", as: String.self), value: try row.decode(column: "value", as: Double?.self),
            done: try row.decode(column: "done", as: Int?.self).map { $0 != 0 }, narrative: try row.decode(column: "narrative", as: String.self),
            status: try row.decode(ReportStatus.self, column: "status", table: "key_task_reports"),
            reportedBy: try row.decode(column: "reported_by", as: String.self), reportedAt: try row.decode(column: "reported_at", as: String.self),
            reviewedBy: try row.decode(column: "reviewed_by", as: String?.self), reviewedAt: try row.decode(column: "reviewed_at", as: String?.self),
            reviewNote: try row.decode(column: "review_note", as: String?.self))
    }
}
