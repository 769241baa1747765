import DudaoCore
import DudaoStore
import Foundation

/// Recording a visit (use case `RecordVisit`): saved as a draft or signed off; the checklist
/// decides what is complete and what is a finding; every finding opens a rectification case.
/// Used by the phone form and the API alike.
public struct Visits: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public struct Input: Sendable {
        public var id: String
        public var version: Int
        public var school: School
        public var inspector: Inspector
        public var checklist: Checklist
        public var answers: ChecklistAnswers
        public var date: String
        public var peopleMet: String
        public var notes: String
        public var location: String?
        public var sign: Bool
        public var extraFindings: [(category: String, text: String)]
        public var deadlineDays: Int
        public var photos: [(filename: String, contentType: String, data: Data)]

        public init(
            id: String, version: Int, school: School, inspector: Inspector, checklist: Checklist, answers: ChecklistAnswers, date: String,
            peopleMet: String, notes: String, location: String?, sign: Bool, extraFindings: [(category: String, text: String)],
            deadlineDays: Int, photos: [(filename: String, contentType: String, data: Data)]
        ) {
            self.id = id
            self.version = version
            self.school = school
            self.inspector = inspector
            self.checklist = checklist
            self.answers = answers
            self.date = date
            self.peopleMet = peopleMet
            self.notes = notes
            self.location = location
            self.sign = sign
            self.extraFindings = extraFindings
            self.deadlineDays = deadlineDays
            self.photos = photos
        }
    }

    public enum Outcome: Sendable {
        case draft(version: Int)
        case signed(cases: [String])
        case incomplete([ChecklistIssue], version: Int)
        case conflict
    }

    /// Upload limits: per file, per visit, per inspector per day.
    public struct Quota: Sendable {
        public var fileBytes = 10 << 20
        public var filesPerVisit = 30
        public var bytesPerVisit = 100 << 20
        public var bytesPerUserPerDay = 500 << 20
        public static let standard = Quota()
    }

    /// Saves the visit, its files, and when signed its rectification cases and the audit entry,
    /// in one transaction: either all of it is stored or none of it.
    public func record(_ input: Input, by actor: String, lang: Language, quota: Quota = .standard) async throws -> Outcome {
        try input.check()
        let files = try Uploads.recognise(input.photos, fileBytes: quota.fileBytes, field: "photos")
        var answers = input.answers
        // Answers to items that turned out not to apply are dropped.
        let walk = input.checklist.walk(answers)
        answers.values = answers.values.filter { walk.relevant.contains($0.key) }
        let issues = input.checklist.validate(answers)
        let visit = input.record(status: input.sign && issues.isEmpty ? .signed : .draft, version: input.version, answers: answers)
        // A checklist finding reads as the question with the answer found ("…：否").
        func said(_ itemId: String) -> String {
            switch answers.values[itemId] {
            case .bool(let b)?: return lang == .zh ? (b ? "是" : "否") : (b ? "yes" : "no")
            case .number(let v)?: return NumberText.plain(v)
            case .choice(let id)?: return input.checklist.item(id: itemId)?.choices.first { $0.id == id }.map { lang == .zh ? $0.zh : $0.en } ?? id
            case .text(let t)?: return t
            default: return ""
            }
        }
        let findings =
            input.checklist.findings(answers).map {
                (category: $0.category.rawValue, text: "\(lang == .zh ? $0.textZh : $0.textEn)\(lang == .zh ? "：" : ": ")\(said($0.itemId))")
            } + input.extraFindings
        // `check` made the date a real calendar day and the day count 0…3650: no overflow.
        let deadline = DateText.string(fromOrdinal: DateText.ordinal(input.date)! + input.deadlineDays)
        return try await services.transaction { tx, now in
            let visits = VisitRepository(tx)
            // A client-chosen id may only ever reach the caller's own visit of this school.
            if let existing = try await visits.find(input.id),
                existing.schoolCode != input.school.code || existing.inspectorId != input.inspector.id
            {
                throw ServiceError.notFound("visit \(input.id)")
            }
            // Drafts are always kept, so nothing typed on a bad connection is lost.
            guard let version = try await visits.save(visit, at: now.timestamp) else { return .conflict }
            let attachments = AttachmentRepository(tx)
            if !files.isEmpty {
                let used = try await attachments.usage(objectType: "visit", objectId: input.id)
                let adding = files.reduce(0) { $0 + $1.data.count }
                guard used.files + files.count <= quota.filesPerVisit, used.bytes + adding <= quota.bytesPerVisit else {
                    throw ServiceError(
                        .tooLarge, code: "quota", field: "photos",
                        zh: "每次督导最多\(quota.filesPerVisit)个文件、共\(quota.bytesPerVisit >> 20) MB",
                        en: "at most \(quota.filesPerVisit) files and \(quota.bytesPerVisit >> 20) MB per visit")
                }
                guard try await attachments.bytes(uploadedBy: actor, since: now.today) + adding <= quota.bytesPerUserPerDay else {
                    throw ServiceError(
                        .tooLarge, code: "quota", field: "photos",
                        zh: "今日上传已超过\(quota.bytesPerUserPerDay >> 20) MB", en: "more than \(quota.bytesPerUserPerDay >> 20) MB uploaded today")
                }
            }
            for file in files {
                try await attachments.add(
                    objectType: "visit", objectId: input.id, filename: file.filename, contentType: file.kind.contentType, data: file.data, by: actor,
                    at: now.timestamp)
            }
            guard input.sign else { return .draft(version: version) }
            guard issues.isEmpty else { return .incomplete(issues, version: version) }
            var opened: [String] = []
            for (n, finding) in findings.enumerated() {
                let c = RectificationCase(
                    id: "R-\(input.id)-\(n + 1)", schoolCode: input.school.code, countyCode: input.school.countyCode,
                    category: finding.category, description: finding.text, assignedUnit: input.school.name,
                    responsiblePerson: "校长", deadline: deadline, openedOn: input.date)
                try await RectificationRepository(tx).open(c, visitId: input.id, by: actor, at: now.timestamp)
                opened.append(c.id)
            }
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor, action: "sign", objectType: "visit", objectId: input.id,
                    oldValue: nil, newValue: "\(input.checklist.id); findings=\(findings.count); photos=\(files.count)",
                    regionCode: input.school.countyCode)
            ])
            return .signed(cases: opened)
        }
    }
}

extension Visits.Input {
    /// The rules of a visit's content, whichever surface sent it (phone form, API, later the
    /// offline app): a real date, a day count in range, bounded texts, known finding
    /// categories, finite numbers. Refusals name the field as the API spells it.
    func check() throws(FieldError) {
        _ = try Checked.identifier(id, field: "id")
        _ = try Checked.integer(version, field: "version", in: Checked.versions)
        _ = try Checked.date(date, field: "date")
        _ = try Checked.integer(deadlineDays, field: "deadline_days", in: Checked.dayCounts)
        _ = try Checked.text(peopleMet, field: "people_met", max: Checked.maxText, multiline: true)
        _ = try Checked.text(notes, field: "notes", max: Checked.maxText, multiline: true)
        if let location { _ = try Checked.text(location, field: "location") }
        for (i, finding) in extraFindings.enumerated() {
            guard FindingCategory(rawValue: finding.category) != nil else {
                throw FieldError(
                    field: "findings.\(i).category", code: "unknown_value", zh: "未知问题类别「\(finding.category)」",
                    en: "unknown finding category '\(finding.category)'")
            }
            _ = try Checked.text(finding.text, field: "findings.\(i).description", max: Checked.maxText, multiline: true)
        }
        for (key, answer) in answers.values {
            switch answer {
            case .number(let v): _ = try Checked.number(v, field: "answers.\(key)", in: Checked.answerNumbers, whole: false)
            case .text(let t): _ = try Checked.text(t, field: "answers.\(key)", max: Checked.maxText, multiline: true)
            default: break
            }
        }
    }

    /// The visit as stored with `status` at `version` (answers as given).
    public func record(status: VisitStatus, version: Int, answers: ChecklistAnswers? = nil) -> VisitRecord {
        VisitRecord(
            id: id, schoolCode: school.code, countyCode: school.countyCode, inspectorId: inspector.id, date: date,
            kind: checklist.kind == .routine ? .routine : .special, checklistId: checklist.id,
            answers: String(decoding: (try? JSONEncoder().encode(answers ?? self.answers)) ?? Data(), as: UTF8.self),
            peopleMet: peopleMet, notes: notes, location: location, status: status, version: version)
    }
}
