import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import SQLKit

/// 重点工作督办 (SPEC §4.5, issue 12): use cases `CreateTarget`, `AddTasks` (one by one or a
/// whole outline from a spreadsheet), `ReportProgress`, `ReviewReport`, `RefreshComputed`; and
/// the reads: a target's progress on a day, a region's ranking and dispatch view.
public struct KeyTasks: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    // MARK: targets

    public func createTarget(region: String, year: Int, title: String, description: String = "", by actor: Identity) async throws -> KeyTarget {
        guard actor.canSuperviseKeyTasks(region: region) else { throw ServiceError.notFound("region \(region)") }
        if !region.isEmpty, try await RegionRepository(services.reads).find(region) == nil { throw ServiceError.notFound("region \(region)") }
        let year = try Checked.year(year, field: "year")
        let title = try Checked.text(title, field: "title", max: 200)
        guard !title.isEmpty else { throw ServiceError(.invalid, code: "invalid", field: "title", zh: "请填写目标名称", en: "a title is required") }
        let description = try Checked.text(description, field: "description", max: Checked.maxText, multiline: true)
        return try await services.transaction { tx, now in
            let target = KeyTarget(
                id: UUID().uuidString.lowercased(), regionCode: region, year: year, title: title, description: description, createdBy: actor.username,
                createdAt: now.timestamp)
            try await KeyTaskRepository(tx).insert(target)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "create", objectType: "key_target", objectId: target.id, oldValue: nil,
                    newValue: "\(year) \(title)", regionCode: region)
            ])
            return target
        }
    }

    /// A target the caller may read; unknown and out-of-scope ids are both "not found".
    public func target(_ id: String, for actor: Identity) async throws -> KeyTarget {
        guard let t = try await KeyTaskRepository(services.reads).target(id), actor.canReadKeyTasks(region: t.regionCode) else {
            throw ServiceError.notFound("key target \(id)")
        }
        return t
    }

    /// A region's targets of a year as its office sees them: those set in the region or below
    /// it, and those set above it that have tasks owned in it.
    public func targets(region: String, year: Int?, for actor: Identity) async throws -> [KeyTarget] {
        guard actor.isOfficeStaff, actor.canRead(region: region) else { throw ServiceError.notFound("region \(region)") }
        let repository = KeyTaskRepository(services.reads)
        let all = try await repository.targets(visibleFrom: region, year: year)
        let above = all.filter { !RegionCode.contains(region, $0.regionCode) }.map(\.id)
        let reaching = try await repository.targets(among: above, withTasksUnder: region)
        return all.filter { RegionCode.contains(region, $0.regionCode) || reaching.contains($0.id) }
    }

    // MARK: tasks

    /// Adds tasks to a target, all or nothing; every problem is named by row (or number) and field.
    @discardableResult
    public func addTasks(_ drafts: [KeyTaskDraft], to targetId: String, source: String? = nil, by actor: Identity) async throws -> [KeyTask] {
        let (target, checked) = try await prepare(drafts, to: targetId, source: source, by: actor)
        return try await services.transaction { tx, now in
            try await Self.insert(checked, into: target, source: source, by: actor.username, at: now.timestamp, on: tx)
            return checked
        }
    }

    /// Writes checked tasks and their audit entry inside the caller's transaction.
    static func insert(
        _ tasks: [KeyTask], into target: KeyTarget, source: String?, by actor: String, at now: String, on tx: any SQLDatabase
    ) async throws {
        try await KeyTaskRepository(tx).insert(tasks: tasks)
        try await AuditLog(tx).record([
            AuditEntry(
                at: now, actor: actor, action: source == nil ? "add_tasks" : "import", objectType: "key_target", objectId: target.id,
                oldValue: nil, newValue: "\(tasks.count) tasks" + (source.map { "; source=\($0)" } ?? ""), regionCode: target.regionCode)
        ])
    }

    /// The drafts checked against the target (numbers, parents, units, regions, dates,
    /// weights, measures) and made into tasks; every problem at once.
    func prepare(_ drafts: [KeyTaskDraft], to targetId: String, source: String?, by actor: Identity) async throws -> (KeyTarget, [KeyTask]) {
        let target = try await self.target(targetId, for: actor)
        guard actor.canSuperviseKeyTasks(region: target.regionCode) else {
            throw ServiceError(
                .forbidden, code: "not_allowed", zh: "只有设定该目标的督导办及其上级可以分解任务", en: "only the office that set the target (or one above) breaks it down")
        }
        let existing = try await KeyTaskRepository(services.reads).tasks(target: targetId)
        var known: [String: Bool] = ["": true]
        var issues: [ImportIssue] = []
        var byNumber = Dictionary(existing.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        var positions: [String?: Int] = [:]
        for t in existing { positions[t.parentId] = max(positions[t.parentId] ?? 0, t.position + 1) }
        var tasks: [KeyTask] = []
        let createdAt = services.clock.moment.timestamp
        for d in drafts {
            func fail(_ field: String, _ zh: String, _ en: String) {
                issues.append(
                    ImportIssue(
                        .error, code: "invalid", file: source, row: d.row, column: d.row == nil ? nil : TaskOutlineParser.header(field), field: field,
                        zh: d.row == nil ? "第\(d.number)项：\(zh)" : zh, en: d.row == nil ? "task \(d.number): \(en)" : en))
            }
            let number = d.number.trimmingCharacters(in: .whitespaces)
            guard KeyTask.isOutlineNumber(number) else {
                fail("number", "序号应为 1、1.2、1.2.3 这样的编号：「\(number)」", "the number must look like 1, 1.2, 1.2.3: '\(number)'")
                continue
            }
            if byNumber[number] != nil { fail("number", "序号\(number)重复", "number \(number) is used twice"); continue }
            var parent: KeyTask?
            if let p = KeyTask.parentNumber(of: number) {
                parent = byNumber[p]
                if parent == nil { fail("number", "找不到上级任务\(p)（上级须写在下级之前）", "no parent task \(p) (a parent comes before its children)") }
            }
            /// A checked text, its refusal (too long, a control character) reported under its own field.
            func text(_ raw: String, _ field: String, max: Int) -> String {
                do { return try Checked.text(raw, field: field, max: max) } catch {
                    fail(field, error.messageZh, error.messageEn)
                    return ""
                }
            }
            let title = text(d.title, "title", max: 300)
            if title.isEmpty && d.title.trimmingCharacters(in: .whitespaces).isEmpty { fail("title", "请填写任务内容", "the task needs a title") }
            let unit = text(d.unit, "unit", max: 100)
            if unit.isEmpty && d.unit.trimmingCharacters(in: .whitespaces).isEmpty { fail("unit", "请填写责任单位", "the task needs an owner unit") }
            let region = d.region ?? parent?.regionCode ?? target.regionCode
            if known[region] == nil { known[region] = try await RegionRepository(services.reads).find(region) != nil }
            if known[region] != true || !RegionCode.contains(target.regionCode, region) {
                fail("region", "责任单位所在区划须在目标所属地区内：「\(region)」", "the unit's region must lie in the target's: '\(region)'")
            }
            var deadline = ""
            do { deadline = try Checked.date(d.deadline, field: "deadline") } catch {
                fail("deadline", error.messageZh, error.messageEn)
            }
            if let w = d.weight, !(w.isFinite && (0...1_000_000).contains(w)) {
                fail("weight", "权重应为不小于0的数：「\(NumberText.plain(w))」", "the weight must be a number of 0 or more: '\(NumberText.plain(w))'")
            }
            switch d.measure {
            case .checkbox: break
            case .number(let t, let b, _), .computed(_, let t, let b):
                if !(t.isFinite && b.isFinite && abs(t) <= 1e12 && abs(b) <= 1e12) {
                    fail("target_value", "目标值和基数须为有限数字", "target and baseline must be finite numbers")
                }
            }
            let first = text(d.firstResponsible, "first_responsible", max: 100)
            let direct = text(d.directResponsible, "direct_responsible", max: 100)
            let position = positions[parent?.id] ?? 0
            positions[parent?.id] = position + 1
            let task = KeyTask(
                id: UUID().uuidString.lowercased(), targetId: targetId, parentId: parent?.id, number: number, title: title, regionCode: region,
                unit: unit,
                firstResponsible: first, directResponsible: direct, deadline: deadline, weight: d.weight, measure: d.measure, cadence: d.cadence,
                position: position, createdAt: createdAt)
            byNumber[number] = task
            tasks.append(task)
        }
        guard issues.isEmpty else { throw ImportRejected(issues: issues) }
        guard !tasks.isEmpty else {
            throw ImportRejected(issues: [ImportIssue(.error, code: "empty", file: source, zh: "没有任务", en: "no tasks")])
        }
        return (target, tasks)
    }

    /// Reads an outline spreadsheet (`TaskOutlineParser`) and adds its tasks, all or nothing.
    @discardableResult
    public func importOutline(_ table: Table, to targetId: String, by actor: Identity) async throws -> [KeyTask] {
        let parsed = TaskOutlineParser.parse(table)
        guard parsed.issues.isEmpty else { throw ImportRejected(issues: parsed.issues) }
        return try await addTasks(parsed.drafts, to: targetId, source: table.name, by: actor)
    }

    /// Reads an uploaded outline, recognised by its bytes (XLSX, or CSV text), and adds its tasks.
    @discardableResult
    public func importOutline(file data: Data, filename: String, to targetId: String, by actor: Identity) async throws -> [KeyTask] {
        let name = String(filename.suffix(120))
        let table: Table
        switch UploadKind.recognise(data) {
        case .xlsx: table = try XLSXReader.read(data, name: name.isEmpty ? "tasks.xlsx" : name, indents: true)
        case nil: table = try CSVTable.parse(data, name: name.isEmpty ? "tasks.csv" : name)
        default:
            throw ServiceError(.unsupportedType, code: "unsupported_type", field: "file", zh: "请上传 XLSX 或 CSV 文件", en: "upload an XLSX or CSV file")
        }
        return try await importOutline(table, to: targetId, by: actor)
    }

    /// A task the caller may read, with its target.
    public func task(_ id: String, for actor: Identity) async throws -> (KeyTask, KeyTarget) {
        guard let task = try await KeyTaskRepository(services.reads).task(id),
            let target = try await KeyTaskRepository(services.reads).target(task.targetId),
            actor.canReadKeyTasks(region: target.regionCode)
        else { throw ServiceError.notFound("key task \(id)") }
        return (task, target)
    }

    /// Reports awaiting the caller's review: those on tasks of targets set in `region`'s
    /// subtree that the caller supervises, oldest first (the region's list and the agenda).
    public func awaitingReview(under region: String, for actor: Identity) async throws -> [(report: ProgressReport, task: KeyTask, target: KeyTarget)]
    {
        let repository = KeyTaskRepository(services.reads)
        var out: [(ProgressReport, KeyTask, KeyTarget)] = []
        var targets: [String: KeyTarget] = [:]
        for r in try await repository.awaitingReview(under: region) {
            guard let task = try await repository.task(r.taskId) else { continue }
            if targets[task.targetId] == nil { targets[task.targetId] = try await repository.target(task.targetId) }
            guard let target = targets[task.targetId], actor.canSuperviseKeyTasks(region: target.regionCode) else { continue }
            out.append((r, task, target))
        }
        return out
    }

    // MARK: progress

    public struct ReportInput: Sendable {
        public var taskId: String
        /// The day the value holds for (default: today).
        public var day: String?
        public var value: Double?
        public var done: Bool?
        public var narrative: String
        /// Evidence files (filed in the library, linked to the task).
        public var files: [(filename: String, data: Data)]

        public init(taskId: String, day: String? = nil, value: Double? = nil, done: Bool? = nil, narrative: String = "", files: [(String, Data)] = [])
        {
            self.taskId = taskId
            self.day = day
            self.value = value
            self.done = done
            self.narrative = narrative
            self.files = files.map { (filename: $0.0, data: $0.1) }
        }
    }

    /// Reports progress on a leaf task. A report by the supervising office itself is accepted
    /// at once; one by the owner's office waits for the supervising office's review.
    @discardableResult
    public func report(_ input: ReportInput, by actor: Identity) async throws -> ProgressReport {
        let (task, target) = try await self.task(input.taskId, for: actor)
        guard actor.canReportProgress(on: task) else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有责任单位所在地区的督导办可以报送进展", en: "only the owner's office reports progress")
        }
        let children = try await KeyTaskRepository(services.reads).tasks(target: target.id).filter { $0.parentId == task.id }
        guard children.isEmpty else {
            throw ServiceError(
                .invalid, code: "invalid", field: "task", zh: "该任务由下级任务衡量，请在下级任务上报送", en: "this task is measured by its steps; report on them")
        }
        let today = services.clock.moment.today
        let day = try Checked.date(input.day ?? today, field: "day")
        guard day <= today else {
            throw ServiceError(.invalid, code: "invalid", field: "day", zh: "报送日期不能晚于今天（\(today)）", en: "the day cannot be after today (\(today))")
        }
        let value: Double?
        let done: Bool?
        switch task.measure ?? .checkbox {
        case .checkbox:
            guard let d = input.done else {
                throw ServiceError(.invalid, code: "invalid", field: "done", zh: "请选择是否已完成", en: "say whether it is done")
            }
            (value, done) = (nil, d)
        case .number:
            guard let v = input.value else {
                throw ServiceError(.invalid, code: "invalid", field: "value", zh: "请填写当前数值", en: "enter the current value")
            }
            (value, done) = (try Checked.number(v, field: "value", in: -1e12...1e12, whole: false), nil)
        case .computed(let metric, _, _):
            throw ServiceError(
                .invalid, code: "invalid", field: "value", zh: "该任务的数值由系统根据「\(metric.zh)」自动计算，无需报送",
                en: "Dudao computes this task's value (\(metric.en)); nothing to report")
        }
        let narrative = try Checked.text(input.narrative, field: "narrative", max: Checked.maxText, multiline: true)
        let prepared = try input.files.map { file in
            guard file.data.count <= Documents.maxBytes else {
                throw ServiceError(
                    .tooLarge, code: "too_large", field: "file", zh: "文件超过 20 MB：\(file.filename)", en: "larger than 20 MB: \(file.filename)")
            }
            let kind = UploadKind.recognise(file.data)
            guard kind != nil || DocumentText.plainText(file.data) != nil else {
                throw ServiceError(
                    .unsupportedType, code: "unsupported_type", field: "file", zh: "只接受 PDF、DOCX、XLSX、图片或 UTF-8 文本文件：\(file.filename)",
                    en: "only PDF, DOCX, XLSX, images or UTF-8 text files are accepted: \(file.filename)")
            }
            return Documents.prepare(file.data, filename: String(file.filename.suffix(120)), kind: kind)
        }
        let selfAccepted = actor.canSuperviseKeyTasks(region: target.regionCode)
        return try await services.transaction { tx, now in
            var report = ProgressReport(
                id: UUID().uuidString.lowercased(), taskId: task.id, day: day, value: value, done: done, narrative: narrative,
                status: selfAccepted ? .accepted : .submitted, reportedBy: actor.username, reportedAt: now.timestamp)
            if selfAccepted {
                report.reviewedBy = actor.username
                report.reviewedAt = now.timestamp
            }
            try await KeyTaskRepository(tx).insert(report)
            if !prepared.isEmpty {
                try await Documents.fileEvidence(
                    prepared, region: task.regionCode, year: target.year, tags: ["重点工作"], object: ("key_task", task.id), by: actor.username,
                    at: now.timestamp, on: tx)
            }
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "report", objectType: "key_task", objectId: task.id, oldValue: nil,
                    newValue: "\(day): " + (value.map(NumberText.plain) ?? (done == true ? "done" : "not done"))
                        + (selfAccepted ? " (accepted)" : ""),
                    regionCode: task.regionCode)
            ])
            return report
        }
    }

    /// The supervising office accepts or returns a report awaiting review.
    public func review(_ reportId: String, accept: Bool, note: String, by actor: Identity) async throws {
        guard let report = try await KeyTaskRepository(services.reads).report(reportId) else { throw ServiceError.notFound("report \(reportId)") }
        let (task, target) = try await self.task(report.taskId, for: actor)
        guard actor.canSuperviseKeyTasks(region: target.regionCode) else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有设定该目标的督导办可以审核进展", en: "only the office that set the target reviews reports")
        }
        let note = try Checked.text(note, field: "note", max: 1000, multiline: true)
        if !accept && note.isEmpty {
            throw ServiceError(.invalid, code: "invalid", field: "note", zh: "退回时请说明理由", en: "say why the report is returned")
        }
        try await services.transaction { tx, now in
            guard
                try await KeyTaskRepository(tx).review(
                    reportId, status: accept ? .accepted : .returned, by: actor.username, at: now.timestamp, note: note)
            else {
                throw ServiceError(.conflict, code: "already_reviewed", zh: "该报送已审核", en: "the report has been reviewed already")
            }
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: accept ? "accept_report" : "return_report", objectType: "key_task",
                    objectId: task.id,
                    oldValue: report.status.rawValue, newValue: "\(reportId)" + (note.isEmpty ? "" : ": \(note)"), regionCode: task.regionCode)
            ])
        }
    }

    /// Records, for every leaf measured by Dudao's own data, today's value as an accepted
    /// report when it differs from the last one. Returns how many values changed.
    @discardableResult
    public func refreshComputed(_ targetId: String, by actor: Identity) async throws -> Int {
        let target = try await self.target(targetId, for: actor)
        guard actor.canSuperviseKeyTasks(region: target.regionCode) else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有设定该目标的督导办可以更新", en: "only the office that set the target refreshes it")
        }
        let repository = KeyTaskRepository(services.reads)
        let tasks = try await repository.tasks(target: targetId)
        let parents = Set(tasks.compactMap(\.parentId))
        let reports = Dictionary(grouping: try await repository.reports(targets: [targetId]).filter { $0.status == .accepted }, by: \.taskId)
        let today = services.clock.moment.today
        var changes: [(KeyTask, Double)] = []
        for task in tasks where !parents.contains(task.id) {
            guard case .computed(let metric, _, _) = task.measure else { continue }
            guard let value = try await KeyMetrics(services.reads).value(metric, region: task.regionCode, year: target.year, today: today) else {
                continue
            }
            let last = reports[task.id]?.max { ($0.day, $0.reportedAt) < ($1.day, $1.reportedAt) }
            if last?.value != value || last == nil { changes.append((task, value)) }
        }
        guard !changes.isEmpty else { return 0 }
        let found = changes
        return try await services.transaction { tx, now in
            for (task, value) in found {
                try await KeyTaskRepository(tx).insert(
                    ProgressReport(
                        id: UUID().uuidString.lowercased(), taskId: task.id, day: now.today, value: value, narrative: "系统根据本平台数据自动计算",
                        status: .accepted,
                        reportedBy: "dudao", reportedAt: now.timestamp, reviewedBy: actor.username, reviewedAt: now.timestamp))
            }
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "refresh", objectType: "key_target", objectId: targetId, oldValue: nil,
                    newValue: found.map { "\($0.0.number)=\(NumberText.plain($0.1))" }.joined(separator: "; "), regionCode: target.regionCode)
            ])
            return found.count
        }
    }

    // MARK: reads

    /// A target's standing on a day (default today).
    public func progress(_ targetId: String, asOf: String? = nil, for actor: Identity) async throws -> KeyTargetProgress {
        let target = try await self.target(targetId, for: actor)
        return try await progress(of: [target], asOf: asOf ?? services.clock.moment.today).first!
    }

    func progress(of targets: [KeyTarget], asOf: String) async throws -> [KeyTargetProgress] {
        let repository = KeyTaskRepository(services.reads)
        let ids = targets.map(\.id)
        let tasks = Dictionary(grouping: try await repository.tasks(targets: ids), by: \.targetId)
        let reports = try await repository.reports(targets: ids)
        let taskTarget = Dictionary(tasks.values.joined().map { ($0.id, $0.targetId) }, uniquingKeysWith: { a, _ in a })
        let byTarget = Dictionary(grouping: reports, by: { taskTarget[$0.taskId] ?? "" })
        return targets.map { KeyTargetProgress(target: $0, tasks: tasks[$0.id] ?? [], reports: byTarget[$0.id] ?? [], asOf: asOf) }
    }

    /// The dispatch view of a region's targets of a year (or one target) on `day`, compared
    /// with `since` (default: a month before).
    public func dispatch(
        region: String, year: Int, target: String? = nil, day: String? = nil, since: String? = nil, for actor: Identity
    ) async throws -> (targets: [KeyTarget], view: DispatchView) {
        // The ranking of a region is its office's (and those above); units below see their tasks by target.
        guard actor.isOfficeStaff, actor.canRead(region: region) else { throw ServiceError.notFound("region \(region)") }
        let day = try Checked.date(day ?? services.clock.moment.today, field: "day")
        let since = try Checked.date(since ?? Self.monthBefore(day), field: "since")
        guard since < day else {
            throw ServiceError(.invalid, code: "invalid", field: "since", zh: "对比日期须早于调度日期", en: "the earlier day must come before the day")
        }
        var targets = try await KeyTaskRepository(services.reads).targets(visibleFrom: region, year: year).filter { $0.regionCode == region }
        if let target { targets = targets.filter { $0.id == target } }
        let now = try await progress(of: targets, asOf: day)
        let then = try await progress(of: targets, asOf: since)
        return (targets, DispatchView(now: now, then: then))
    }

    static func monthBefore(_ day: String) -> String {
        guard var y = Int(day.prefix(4)), var m = Int(day.dropFirst(5).prefix(2)), let d = Int(day.suffix(2)) else { return day }
        m -= 1
        if m == 0 { m = 12; y -= 1 }
        return String(format: "%04d-%02d-%02d", y, m, min(d, DateText.daysIn(month: m, year: y)))
    }
}
