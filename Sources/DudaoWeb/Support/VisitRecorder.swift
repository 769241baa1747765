import DudaoCore
import DudaoStore
import Foundation

/// Saves a visit as a draft or signs it off: the checklist decides what is complete and what
/// is a finding; every finding opens a rectification case. Used by the phone form and the API.
struct VisitRecorder: Sendable {
    let database: Database

    struct Input: Sendable {
        var id: String
        var version: Int
        var school: School
        var inspector: Inspector
        var checklist: Checklist
        var answers: ChecklistAnswers
        var date: String
        var peopleMet: String
        var notes: String
        var location: String?
        var sign: Bool
        var extraFindings: [(category: String, text: String)]
        var deadlineDays: Int
        var photos: [(filename: String, contentType: String, data: Data)]
    }

    enum Outcome: Sendable {
        case draft(version: Int)
        case signed(cases: [String])
        case incomplete([ChecklistIssue], version: Int)
        case conflict
    }

    func record(_ input: Input, by actor: String, lang: Language) async throws -> Outcome {
        var answers = input.answers
        // Answers to items that turned out not to apply are dropped.
        let walk = input.checklist.walk(answers)
        answers.values = answers.values.filter { walk.relevant.contains($0.key) }
        let issues = input.checklist.validate(answers)
        var visit = VisitRecord(id: input.id, schoolCode: input.school.code, countyCode: input.school.countyCode, inspectorId: input.inspector.id,
                                date: input.date, kind: input.checklist.kind == .routine ? "routine" : "special", checklistId: input.checklist.id,
                                answers: String(decoding: try JSONEncoder().encode(answers), as: UTF8.self), peopleMet: input.peopleMet,
                                notes: input.notes, location: input.location, status: input.sign && issues.isEmpty ? "signed" : "draft", version: input.version)
        // Drafts are always kept, so nothing typed on a bad connection is lost.
        guard try await VisitRepository(database.sql).save(visit) else { return .conflict }
        visit.version += 1
        for photo in input.photos {
            try await AttachmentRepository(database.sql).add(objectType: "visit", objectId: input.id, filename: photo.filename,
                                                             contentType: photo.contentType, data: photo.data, by: actor)
        }
        guard input.sign else { return .draft(version: visit.version) }
        guard issues.isEmpty else { return .incomplete(issues, version: visit.version) }
        // A checklist finding reads as the question with the answer found ("…：否").
        func said(_ itemId: String) -> String {
            switch answers.values[itemId] {
            case .bool(let b)?: return Strings.shared(b ? "yes" : "no", lang)
            case .number(let v)?: return NumberText.plain(v)
            case .choice(let id)?: return input.checklist.item(id: itemId)?.choices.first { $0.id == id }.map { lang == .zh ? $0.zh : $0.en } ?? id
            case .text(let t)?: return t
            default: return ""
            }
        }
        let findings = input.checklist.findings(answers).map {
            (category: $0.category.rawValue, text: "\(lang == .zh ? $0.textZh : $0.textEn)\(lang == .zh ? "：" : ": ")\(said($0.itemId))")
        } + input.extraFindings
        let deadline = DateText.string(fromOrdinal: (DateText.ordinal(input.date) ?? 0) + input.deadlineDays)
        var opened: [String] = []
        for (n, finding) in findings.enumerated() {
            let c = RectificationCase(id: "R-\(input.id)-\(n + 1)", schoolCode: input.school.code, countyCode: input.school.countyCode,
                                      category: finding.category, description: finding.text, assignedUnit: input.school.name,
                                      responsiblePerson: "校长", deadline: deadline, openedOn: input.date)
            try await RectificationRepository(database).open(c, visitId: input.id, by: actor)
            opened.append(c.id)
        }
        try await AuditLog(database.sql).record([AuditEntry(at: Timestamp.now(), actor: actor, action: "sign", objectType: "visit", objectId: input.id,
                                                            oldValue: nil, newValue: "\(input.checklist.id); findings=\(findings.count); photos=\(input.photos.count)",
                                                            regionCode: input.school.countyCode)])
        return .signed(cases: opened)
    }
}
