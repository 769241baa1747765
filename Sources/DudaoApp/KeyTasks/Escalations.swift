import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation

/// Escalation (SPEC §4.5, issue 12): use cases `IssueLetter` (提醒函, 督办函, 预警函 from a
/// late task, an overdue rectification case or the bottom of a ranking, numbered in one series
/// per office and year, its text filled from the facts and kept as issued), `ReplyToLetter`,
/// `RecordAccountability` (约谈, 问责); each one transaction with its audit entry.
public struct Escalations: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public struct LetterRequest: Sendable {
        public var kind: LetterKind
        public var trigger: LetterTrigger
        /// A task id, a rectification case id, or `region/year` for a ranking.
        public var objectId: String
        /// For a ranking: the unit written to.
        public var unit: String?
        public var replyDue: String

        public init(kind: LetterKind, trigger: LetterTrigger, objectId: String, unit: String? = nil, replyDue: String) {
            self.kind = kind
            self.trigger = trigger
            self.objectId = objectId
            self.unit = unit
            self.replyDue = replyDue
        }
    }

    /// What a letter says and to whom, worked out before the transaction.
    struct Drafted {
        var objectRegion: String
        var unit: String
        var unitRegion: String
        var facts: [String: String]
    }

    public func issue(_ r: LetterRequest, by actor: Identity) async throws -> EscalationLetter {
        let today = services.clock.moment.today
        let replyDue = try Checked.date(r.replyDue, field: "reply_due")
        guard replyDue > today else {
            throw ServiceError(
                .invalid, code: "invalid", field: "reply_due", zh: "回复期限须晚于今天（\(today)）", en: "the reply day must be after today (\(today))")
        }
        let drafted = try await draft(r, today: today, for: actor)
        guard actor.canSuperviseKeyTasks(region: drafted.objectRegion) else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有本级及上级督导办可以发函", en: "only this region's office and those above issue letters")
        }
        // The letter is the issuing office's: the caller's (an administrator issues in the object's name).
        let office = actor.isAdmin ? drafted.objectRegion : actor.regionCode
        let officeRegionName = office.isEmpty ? "" : (try await RegionRepository(services.reads).find(office)?.name ?? office)
        let officeName = EscalationLetter.officeName(region: officeRegionName)
        var facts = drafted.facts
        facts["office"] = officeName
        facts["reply_due"] = DateText.chinese(replyDue)
        facts["unit"] = drafted.unit
        facts["as_of"] = DateText.chinese(today)
        for key in ["first_responsible", "direct_responsible"] where (facts[key] ?? "").isEmpty { facts[key] = "" }
        let (title, body) = LetterTemplates.builtIn.letter(r.kind, r.trigger, facts: facts)
        let year = Int(today.prefix(4))!
        return try await services.transaction { tx, now in
            let repository = EscalationRepository(tx)
            let seq = try await repository.nextSeq(region: office, year: year)
            let letter = EscalationLetter(
                id: UUID().uuidString.lowercased(), regionCode: office, year: year, seq: seq,
                number: EscalationLetter.number(officeName: officeRegionName, kind: r.kind, year: year, seq: seq), kind: r.kind, trigger: r.trigger,
                objectId: r.objectId, unit: drafted.unit, unitRegion: drafted.unitRegion, title: title, body: [drafted.unit + "："] + body,
                replyDue: replyDue, issuedBy: actor.username, issuedOn: now.today, issuedAt: now.timestamp)
            try await repository.insert(letter)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "issue", objectType: "letter", objectId: letter.id, oldValue: nil,
                    newValue:
                        "\(letter.number) \(r.kind.rawValue) to \(drafted.unit) about \(r.trigger.rawValue) \(r.objectId); reply by \(replyDue)",
                    regionCode: drafted.unitRegion)
            ])
            return letter
        }
    }

    func draft(_ r: LetterRequest, today: String, for actor: Identity) async throws -> Drafted {
        switch r.trigger {
        case .keyTask:
            let (task, target) = try await KeyTasks(services).task(r.objectId, for: actor)
            let progress = try await KeyTasks(services).progress(target.id, asOf: today, for: actor)
            guard let standing = progress.standing(task.id) else { throw ServiceError.notFound("key task \(r.objectId)") }
            guard standing.completion < 1 else {
                throw ServiceError(.invalid, code: "invalid", field: "object", zh: "该任务已完成，无需发函", en: "the task is complete; no letter needed")
            }
            return Drafted(
                objectRegion: target.regionCode, unit: task.unit, unitRegion: task.regionCode,
                facts: [
                    "year": "\(target.year)", "target": target.title, "number": task.number, "task": task.title,
                    "deadline": DateText.chinese(task.deadline),
                    "completion": NumberText.percent(standing.completion),
                    "lateness": EscalationLetter.lateness(deadline: task.deadline, asOf: today),
                    "first_responsible": task.firstResponsible, "direct_responsible": task.directResponsible,
                ])
        case .rectification:
            guard let c = try await RectificationRepository(services.reads).find(r.objectId)?.case, actor.isOfficeStaff,
                actor.canRead(region: c.countyCode)
            else { throw ServiceError.notFound("rectification \(r.objectId)") }
            guard c.state != .closed else {
                throw ServiceError(.invalid, code: "invalid", field: "object", zh: "该整改事项已销号，无需发函", en: "the case is closed; no letter needed")
            }
            let school = try await SchoolRepository(services.reads).find(c.schoolCode)?.name ?? c.schoolCode
            return Drafted(
                objectRegion: c.countyCode, unit: c.assignedUnit, unitRegion: c.countyCode,
                facts: [
                    "opened_on": DateText.chinese(c.openedOn), "description": c.description, "school": school,
                    "deadline": DateText.chinese(c.deadline),
                    "state": c.state.zh, "lateness": EscalationLetter.lateness(deadline: c.deadline, asOf: today),
                    "first_responsible": "", "direct_responsible": c.responsiblePerson,
                ])
        case .ranking:
            let parts = r.objectId.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let year = Int(parts[1]) else {
                throw ServiceError(.invalid, code: "invalid", field: "object", zh: "排名应写作 区划代码/年度", en: "a ranking is named region/year")
            }
            let (_, view) = try await KeyTasks(services).dispatch(region: parts[0], year: year, day: today, for: actor)
            guard let unitName = r.unit, let u = view.ranking.units.first(where: { $0.unit == unitName }) else {
                throw ServiceError(.invalid, code: "invalid", field: "unit", zh: "排名中没有该责任单位", en: "no such unit in the ranking")
            }
            return Drafted(
                objectRegion: parts[0], unit: u.unit, unitRegion: u.regionCode,
                facts: [
                    "tasks": "\(u.tasks)", "completion": NumberText.percent(u.completion),
                    "on_time_rate": u.onTimeRate.map(NumberText.percent) ?? "—",
                    "units": "\(view.ranking.units.count)", "rank": "\(u.rank)", "overdue": "\(u.overdue)",
                    "first_responsible": "", "direct_responsible": "",
                ])
        }
    }

    /// A letter the caller may read (issued in or sent into their branch).
    public func letter(_ id: String, for actor: Identity) async throws -> EscalationLetter {
        guard let l = try await EscalationRepository(services.reads).letter(id), actor.canRead(letter: l) else {
            throw ServiceError.notFound("letter \(id)")
        }
        return l
    }

    public func letters(region: String, for actor: Identity) async throws -> [EscalationLetter] {
        guard actor.isOfficeStaff, actor.canRead(region: region) else { throw ServiceError.notFound("region \(region)") }
        return try await EscalationRepository(services.reads).letters(touching: region).filter(actor.canRead(letter:))
    }

    /// Records the recipient's reply (once).
    public func reply(_ id: String, text: String, by actor: Identity) async throws {
        let letter = try await self.letter(id, for: actor)
        guard actor.canReply(to: letter) else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有收函单位所在地区的督导办可以登记回复", en: "only the recipient's office records the reply")
        }
        let text = try Checked.text(text, field: "reply", max: Checked.maxText, multiline: true)
        guard !text.isEmpty else { throw ServiceError(.invalid, code: "invalid", field: "reply", zh: "请填写回复内容", en: "the reply is empty") }
        try await services.transaction { tx, now in
            guard try await EscalationRepository(tx).reply(id, text: text, by: actor.username, on: now.today) else {
                throw ServiceError(.conflict, code: "already_replied", zh: "该函已登记回复", en: "the letter has a reply already")
            }
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "reply", objectType: "letter", objectId: id, oldValue: nil,
                    newValue: String(text.prefix(200)), regionCode: letter.unitRegion)
            ])
        }
    }

    public struct RecordInput: Sendable {
        public var kind: AccountabilityKind
        public var person: String
        public var position: String
        public var unit: String
        public var unitRegion: String
        public var day: String
        public var form: String
        public var facts: String
        public var letterId: String?

        public init(
            kind: AccountabilityKind, person: String, position: String, unit: String, unitRegion: String, day: String, form: String, facts: String,
            letterId: String? = nil
        ) {
            self.kind = kind
            self.person = person
            self.position = position
            self.unit = unit
            self.unitRegion = unitRegion
            self.day = day
            self.form = form
            self.facts = facts
            self.letterId = letterId
        }
    }

    /// Records a formal talk (约谈) or an accountability decision (问责) against a person and unit.
    public func record(_ input: RecordInput, by actor: Identity) async throws -> AccountabilityRecord {
        let letter: EscalationLetter? = try await input.letterId.flatMap { $0.isEmpty ? nil : $0 }.asyncMap { try await self.letter($0, for: actor) }
        let unitRegion = input.unitRegion.isEmpty ? letter?.unitRegion ?? "" : input.unitRegion
        guard actor.canSuperviseKeyTasks(region: unitRegion) else { throw ServiceError.notFound("region \(unitRegion)") }
        if !unitRegion.isEmpty, try await RegionRepository(services.reads).find(unitRegion) == nil {
            throw ServiceError.notFound("region \(unitRegion)")
        }
        let person = try Checked.text(input.person, field: "person", max: 100)
        guard !person.isEmpty else { throw ServiceError(.invalid, code: "invalid", field: "person", zh: "请填写被约谈或被问责人", en: "name the person") }
        let unit = try Checked.text(input.unit.isEmpty ? letter?.unit ?? "" : input.unit, field: "unit", max: 100)
        guard !unit.isEmpty else { throw ServiceError(.invalid, code: "invalid", field: "unit", zh: "请填写单位", en: "name the unit") }
        let position = try Checked.text(input.position, field: "position", max: 100)
        let day = try Checked.date(input.day, field: "day")
        let today = services.clock.moment.today
        guard day <= today else {
            throw ServiceError(.invalid, code: "invalid", field: "day", zh: "日期不能晚于今天（\(today)）", en: "the day cannot be after today (\(today))")
        }
        let form = try Checked.text(input.form, field: "form", max: 100)
        guard !form.isEmpty else {
            throw ServiceError(
                .invalid, code: "invalid", field: "form", zh: "请填写形式（如 提醒约谈、通报批评）", en: "say the form (e.g. warning talk, public criticism)")
        }
        let facts = try Checked.text(input.facts, field: "facts", max: Checked.maxText, multiline: true)
        guard !facts.isEmpty else { throw ServiceError(.invalid, code: "invalid", field: "facts", zh: "请写明事实依据", en: "state the facts") }
        let office = actor.isAdmin ? unitRegion : actor.regionCode
        return try await services.transaction { tx, now in
            let record = AccountabilityRecord(
                id: UUID().uuidString.lowercased(), regionCode: office, kind: input.kind, person: person, position: position, unit: unit,
                unitRegion: unitRegion, day: day, form: form, facts: facts, letterId: letter?.id, objectType: letter.map { $0.trigger.rawValue },
                objectId: letter?.objectId, recordedBy: actor.username, recordedAt: now.timestamp)
            try await EscalationRepository(tx).insert(record)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "record", objectType: input.kind.rawValue, objectId: record.id, oldValue: nil,
                    newValue: "\(person) (\(position), \(unit)) \(day) \(form)", regionCode: unitRegion)
            ])
            return record
        }
    }

    public func records(region: String, for actor: Identity) async throws -> [AccountabilityRecord] {
        guard actor.isOfficeStaff, actor.canRead(region: region) else { throw ServiceError.notFound("region \(region)") }
        return try await EscalationRepository(services.reads).records(touching: region).filter {
            actor.canRead(region: $0.regionCode) || actor.canRead(region: $0.unitRegion)
        }
    }

    /// The letter as the office prints it (GB/T 9704-2012 layout).
    public func document(_ letter: EscalationLetter) async throws -> Data {
        let name = letter.regionCode.isEmpty ? "" : (try await RegionRepository(services.reads).find(letter.regionCode)?.name ?? letter.regionCode)
        var blocks: [DOCXWriter.Block] = [.documentNumber(letter.number), .title(letter.title)]
        blocks += letter.body.map { .paragraph($0) }
        blocks.append(.signature("\(EscalationLetter.officeName(region: name))\n\(DateText.chinese(letter.issuedOn))"))
        return try DOCXWriter.write(blocks, style: .official)
    }
}
