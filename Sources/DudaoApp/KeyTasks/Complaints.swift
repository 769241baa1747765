import DudaoCore
import DudaoStore
import Foundation
import SQLKit

/// 投诉受理 (SPEC §4.8): use cases `RegisterComplaint`, `ActOnComplaint` (assign, follow up,
/// answer, call back: `ComplaintRules`), `OpenCaseFromComplaint`, `OpenTaskFromComplaint`; the
/// rates of a region and period.
public struct Complaints: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public struct Input: Sendable {
        public var region: String
        public var source: ComplaintSource
        public var receivedOn: String?
        public var complainant: String
        public var phone: String
        public var content: String
        public var schoolCode: String?

        public init(
            region: String, source: ComplaintSource, receivedOn: String? = nil, complainant: String = "", phone: String = "", content: String,
            schoolCode: String? = nil
        ) {
            self.region = region
            self.source = source
            self.receivedOn = receivedOn
            self.complainant = complainant
            self.phone = phone
            self.content = content
            self.schoolCode = schoolCode
        }
    }

    public func register(_ i: Input, by actor: Identity) async throws -> Complaint {
        guard actor.canRegisterComplaints(region: i.region), try await RegionRepository(services.reads).find(i.region) != nil else {
            throw ServiceError.notFound("region \(i.region)")
        }
        guard RegionCode.level(of: i.region) == .county else {
            throw ServiceError(.invalid, code: "invalid", field: "region", zh: "投诉按区县受理，请选择一个区县", en: "a complaint is registered in one county")
        }
        let today = services.clock.moment.today
        let received = try Checked.date(i.receivedOn ?? today, field: "received_on")
        guard received <= today else {
            throw ServiceError(
                .invalid, code: "invalid", field: "received_on", zh: "受理日期不能晚于今天（\(today)）", en: "the day cannot be after today (\(today))")
        }
        let content = try Checked.text(i.content, field: "content", max: Checked.maxText, multiline: true)
        guard !content.isEmpty else {
            throw ServiceError(.invalid, code: "invalid", field: "content", zh: "请填写投诉内容", en: "write what the complaint says")
        }
        let complainant = try Checked.text(i.complainant, field: "complainant", max: 100)
        let phone = try Checked.text(i.phone, field: "phone", max: 40)
        guard phone.allSatisfy({ $0.isASCII && ($0.isNumber || "-+ ".contains($0)) }) else {
            throw ServiceError(
                .invalid, code: "invalid", field: "phone", zh: "电话号码只能包含数字、空格和 - +", en: "a phone number holds digits, blanks, - and + only")
        }
        let school = i.schoolCode.flatMap { $0.isEmpty ? nil : $0 }
        if let school {
            guard let s = try await SchoolRepository(services.reads).find(school), s.countyCode == i.region else {
                throw ServiceError(
                    .invalid, code: "invalid", field: "school", zh: "该区县没有此学校：\(school)", en: "no such school in the county: \(school)")
            }
        }
        return try await services.transaction { tx, now in
            let repository = ComplaintRepository(tx)
            let number = try await repository.nextNumber(region: i.region, year: Int(received.prefix(4))!)
            let c = Complaint(
                id: UUID().uuidString.lowercased(), regionCode: i.region, number: number, source: i.source, receivedOn: received,
                complainant: complainant, phone: phone, content: content, schoolCode: school)
            try await repository.insert(c)
            try await repository.record(c.id, action: "register", note: i.source.zh, by: actor.username, at: now.timestamp)
            // The complainant's name and phone stay out of the audit trail.
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "register", objectType: "complaint", objectId: c.id, oldValue: nil,
                    newValue: "\(number); \(i.source.rawValue); \(school ?? "")", regionCode: i.region)
            ])
            return c
        }
    }

    /// A complaint the caller may handle; unknown and out-of-scope ids are both "not found".
    public func complaint(_ id: String, for actor: Identity) async throws -> Complaint {
        guard let c = try await ComplaintRepository(services.reads).find(id), actor.canRegisterComplaints(region: c.regionCode) else {
            throw ServiceError.notFound("complaint \(id)")
        }
        return c
    }

    @discardableResult
    public func act(_ action: ComplaintAction, id: String, school: String? = nil, expectedVersion: Int, by actor: Identity) async throws -> Complaint
    {
        let current = try await complaint(id, for: actor)
        guard actor.isOfficeStaff else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有督导办可以分派、督办和答复投诉", en: "only offices assign, follow up and answer complaints")
        }
        let checked: ComplaintAction
        switch action {
        case .assign(let unit, let deadline):
            checked = .assign(unit: try Checked.text(unit, field: "unit", max: 100), deadline: try Checked.date(deadline, field: "deadline"))
        case .followUp(let note): checked = .followUp(try Checked.text(note, field: "note", max: Checked.maxText, multiline: true))
        case .answer(let reply): checked = .answer(try Checked.text(reply, field: "reply", max: Checked.maxText, multiline: true))
        case .callBack(let satisfied, let note):
            checked = .callBack(satisfied: satisfied, note: try Checked.text(note, field: "note", max: Checked.maxText, multiline: true))
        }
        var next = try ComplaintRules.apply(checked, to: current, today: services.clock.moment.today)
        if case .assign = checked, let school, !school.isEmpty {
            guard let s = try await SchoolRepository(services.reads).find(school), s.countyCode == current.regionCode else {
                throw ServiceError(
                    .invalid, code: "invalid", field: "school", zh: "该区县没有此学校：\(school)", en: "no such school in the county: \(school)")
            }
            next.schoolCode = school
        }
        let note: String =
            switch checked {
            case .assign(let unit, let deadline): "\(unit)，期限 \(deadline)"
            case .followUp(let n): n
            case .answer(let r): r
            case .callBack(let satisfied, let n): (satisfied ? "满意" : "不满意，重新办理") + (n.isEmpty ? "" : "：\(n)")
            }
        let result = next
        return try await services.transaction { tx, now in
            let repository = ComplaintRepository(tx)
            try await Self.store(result, expectedVersion: expectedVersion, on: tx)
            try await repository.record(id, action: checked.name, note: note, by: actor.username, at: now.timestamp)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: checked.name, objectType: "complaint", objectId: id,
                    oldValue: current.state.rawValue, newValue: result.state.rawValue, regionCode: current.regionCode)
            ])
            var stored = result
            stored.version = expectedVersion + 1
            return stored
        }
    }

    /// Opens a rectification case at the complaint's school from it (in one transaction with the link).
    public func openRectification(
        _ id: String, category: FindingCategory, unit: String, responsible: String, deadline: String, expectedVersion: Int, by actor: Identity
    ) async throws -> RectificationCase {
        let c = try await complaint(id, for: actor)
        guard actor.isOfficeStaff else { throw ServiceError(.forbidden, code: "not_allowed", zh: "只有督导办可以交办整改", en: "only offices open cases") }
        guard c.rectificationId == nil else {
            throw ServiceError(.conflict, code: "already_opened", zh: "该投诉已交办整改", en: "a case was opened from this complaint already")
        }
        guard let school = c.schoolCode else {
            throw ServiceError(.invalid, code: "invalid", field: "school", zh: "请先在分派时指明涉及的学校", en: "name the school first (when assigning)")
        }
        let today = services.clock.moment.today
        let deadline = try Checked.date(deadline, field: "deadline")
        guard deadline >= today else {
            throw ServiceError(.invalid, code: "invalid", field: "deadline", zh: "整改期限不能早于今天", en: "the deadline cannot be before today")
        }
        let unitName = try Checked.text(unit.isEmpty ? school : unit, field: "unit", max: 100)
        let person = try Checked.text(responsible, field: "responsible", max: 100)
        return try await services.transaction { tx, now in
            let rc = RectificationCase(
                id: "R-C\(c.number)-\(c.regionCode)", schoolCode: school, countyCode: c.regionCode, category: category.rawValue,
                description: c.content,
                assignedUnit: unitName, responsiblePerson: person, deadline: deadline, openedOn: now.today)
            try await RectificationRepository(tx).open(rc, visitId: nil, by: actor.username, at: now.timestamp)
            var linked = c
            linked.rectificationId = rc.id
            try await Self.store(linked, expectedVersion: expectedVersion, on: tx)
            try await ComplaintRepository(tx).record(id, action: "open_case", note: rc.id, by: actor.username, at: now.timestamp)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "open_case", objectType: "complaint", objectId: id, oldValue: nil,
                    newValue: rc.id,
                    regionCode: c.regionCode)
            ])
            return rc
        }
    }

    /// Adds a key task from the complaint to a target (next top-level number), in one transaction with the link.
    public func openKeyTask(
        _ id: String, target: String, unit: String? = nil, deadline: String, expectedVersion: Int, by actor: Identity
    ) async throws
        -> KeyTask
    {
        let c = try await complaint(id, for: actor)
        guard c.keyTaskId == nil else {
            throw ServiceError(.conflict, code: "already_opened", zh: "该投诉已列为重点任务", en: "a key task was opened from this complaint already")
        }
        let existing = try await KeyTaskRepository(services.reads).tasks(target: target)
        let next = (existing.compactMap { $0.parentId == nil ? Int($0.number) : nil }.max() ?? 0) + 1
        let (t, prepared) = try await KeyTasks(services).prepare(
            [
                .init(
                    number: "\(next)", title: String(c.content.prefix(60)), unit: unit.flatMap { $0.isEmpty ? nil : $0 } ?? c.assignedUnit ?? "",
                    region: c.regionCode, deadline: deadline)
            ],
            to: target, source: "complaint \(c.number)", by: actor)
        guard let task = prepared.first else { throw StoreInvariant("no task prepared") }
        return try await services.transaction { tx, now in
            try await KeyTasks.insert(prepared, into: t, source: "complaint \(c.number)", by: actor.username, at: now.timestamp, on: tx)
            var linked = c
            linked.keyTaskId = task.id
            try await Self.store(linked, expectedVersion: expectedVersion, on: tx)
            try await ComplaintRepository(tx).record(id, action: "open_task", note: task.id, by: actor.username, at: now.timestamp)
            return task
        }
    }

    /// Writes the complaint if nobody changed it since `expectedVersion`; a conflict otherwise.
    static func store(_ c: Complaint, expectedVersion: Int, on tx: any SQLDatabase) async throws {
        guard try await ComplaintRepository(tx).update(c, expectedVersion: expectedVersion) else {
            throw ServiceError(
                .conflict, code: "version_conflict", zh: "该投诉已被他人处理，请刷新后重试", en: "the complaint was changed meanwhile; reload and try again")
        }
    }

    /// A region's complaints of a period and their rates (received in the period; closures and callbacks up to its end).
    public func list(
        region: String, from: String, to: String, for actor: Identity
    ) async throws -> (complaints: [Complaint], rates: [String: ComplaintRates]) {
        guard actor.isOfficeStaff, actor.canRead(region: region) else { throw ServiceError.notFound("region \(region)") }
        let from = try Checked.date(from, field: "from"), to = try Checked.date(to, field: "to")
        guard from <= to else { throw ServiceError(.invalid, code: "invalid", field: "from", zh: "起始日期不能晚于截止日期", en: "from must not be after to") }
        let complaints = try await ComplaintRepository(services.reads).list(under: region, from: from, to: to)
        var rates = Dictionary(grouping: complaints, by: \.regionCode).mapValues { ComplaintRates($0, from: from, to: to) }
        rates[region] = ComplaintRates(complaints, from: from, to: to)
        return (complaints, rates)
    }
}
