import Foundation

// Supervision checklists as data (SPEC §4.3): the routine checklist of a responsible
// inspector (责任督学) and the checklists of special supervision rounds (专项督导), written in
// JSON under Resources/checklists/. Items are conditional in the style of XLSForm: `relevant`
// decides whether an item is asked, `constraint` checks its answer (`.` is the item's own
// value) and `finding_when` decides whether the answer opens a finding (§4.4).

/// A supervision checklist (督导检查表), routine or for a special round.
public struct Checklist: SectionedForm, Hashable, Decodable, Identifiable {
    public var id: String
    public var kind: ChecklistKind
    public var nameZh: String
    public var nameEn: String
    public var descriptionZh: String?
    public var descriptionEn: String?
    public var sections: [ChecklistSection]

    enum CodingKeys: String, CodingKey {
        case id, kind, sections
        case nameZh = "name_zh", nameEn = "name_en"
        case descriptionZh = "description_zh", descriptionEn = "description_en"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(ChecklistKind.self, forKey: .kind)
        nameZh = try c.decode(String.self, forKey: .nameZh)
        nameEn = try c.decode(String.self, forKey: .nameEn)
        descriptionZh = try c.decodeIfPresent(String.self, forKey: .descriptionZh)
        descriptionEn = try c.decodeIfPresent(String.self, forKey: .descriptionEn)
        sections = try c.decode([ChecklistSection].self, forKey: .sections)
        var problems = structuralProblems()
        if items.contains(where: { $0.type == .likert }) { problems.append("Likert items belong to surveys, not checklists") }
        if !problems.isEmpty {
            throw DecodingError.dataCorruptedError(
                forKey: .sections, in: c,
                debugDescription: "checklist \(id): " + problems.joined(separator: "; "))
        }
    }

    public static func decode(_ data: Data) throws -> Checklist {
        try JSONDecoder().decode(Checklist.self, from: data)
    }
}

/// A form of sections and items in the checklist grammar: supervision checklists and surveys
/// (one item vocabulary, one `Condition` grammar, one way of walking answers).
public protocol SectionedForm: Sendable {
    var id: String { get }
    var nameZh: String { get }
    var nameEn: String { get }
    var sections: [ChecklistSection] { get }
}

extension SectionedForm {
    /// All items in the order they are asked.
    public var items: [ChecklistItem] { sections.flatMap(\.items) }

    public func item(id: String) -> ChecklistItem? { items.first { $0.id == id } }

    /// What is wrong with the checklist's shape: ids not of the form `[a-z][a-z0-9_]*` or not
    /// unique, conditions that refer to unknown or later items (relevant: earlier items only;
    /// constraint: `.` and earlier items; finding_when: also the item itself), numbers asked of
    /// choice or text items, strings compared with yes/no, number or photo items, and unknown
    /// choice ids. Empty when the checklist is sound.
    public func structuralProblems() -> [String] {
        var problems: [String] = []
        func goodId(_ id: String) -> Bool {
            guard let first = id.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
            return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        }
        var seen: [String: ChecklistItem] = [:]
        var sectionIds = Set<String>()
        if sections.isEmpty { problems.append("no sections") }

        func check(_ condition: Condition?, _ what: String, owner: String, allowed: [String: ChecklistItem], this: ChecklistItem?) {
            guard let condition else { return }
            for name in condition.variables.sorted() {
                if name == "." ? this == nil : allowed[name] == nil {
                    problems.append("\(owner).\(what) '\(condition.text)' refers to \(name), not an earlier item")
                }
            }
            let lookup: (String) -> ChecklistItem? = { $0 == "." ? this : allowed[$0] }
            for name in condition.numericVariables {
                if let item = lookup(name), item.type == .choice || item.type == .likert || item.type == .text {
                    problems.append("\(owner).\(what) '\(condition.text)' uses \(item.type.rawValue) item \(name) as a number")
                }
            }
            for (name, literal) in condition.stringComparisons {
                guard let item = lookup(name) else { continue }
                switch item.type {
                case .choice where !item.choices.contains(where: { $0.id == literal }):
                    problems.append("\(owner).\(what) '\(condition.text)': \(name) has no choice '\(literal)'")
                case .likert where !item.choices.contains(where: { $0.id == literal }):
                    problems.append("\(owner).\(what) '\(condition.text)': \(name) has no choice '\(literal)'")
                case .yesNo, .number, .photo:
                    problems.append("\(owner).\(what) '\(condition.text)' compares \(item.type.rawValue) item \(name) with a string")
                default: break
                }
            }
        }

        for section in sections {
            if !sectionIds.insert(section.id).inserted { problems.append("duplicate section id \(section.id)") }
            if section.items.isEmpty { problems.append("section \(section.id) has no items") }
            check(section.relevant, "relevant", owner: section.id, allowed: seen, this: nil)
            for item in section.items {
                if !goodId(item.id) { problems.append("bad item id '\(item.id)'") }
                if seen[item.id] != nil { problems.append("duplicate item id \(item.id)") }
                check(item.relevant, "relevant", owner: item.id, allowed: seen, this: nil)
                check(item.constraint, "constraint", owner: item.id, allowed: seen, this: item)
                var withSelf = seen
                withSelf[item.id] = item
                check(item.findingWhen, "finding_when", owner: item.id, allowed: withSelf, this: item)
                let choiceIds = item.choices.map(\.id)
                if Set(choiceIds).count != choiceIds.count { problems.append("duplicate choice id in \(item.id)") }
                seen[item.id] = item
            }
        }
        return problems
    }
}

/// The outcome of walking a form's items in order.
public struct FormWalk: Sendable {
    /// Ids of the items that are asked, given the answers.
    public var relevant: Set<String>
    /// The answers that count: relevant, non-blank and of the right type.
    public var effective: [String: ChecklistAnswer]
    public var issues: [ChecklistIssue]
}

extension SectionedForm {
    public typealias Walk = FormWalk
    /// The outcome of walking the items in order.
    /// Walks the items in order. An item is asked when its section's and its own `relevant`
    /// hold over the answers that count so far (so relevance chains: an item hidden because an
    /// earlier one is hidden is itself hidden). Answers to hidden items do not count.
    public func walk(_ answers: ChecklistAnswers) -> Walk {
        var result = Walk(relevant: [], effective: [:], issues: [])
        func holds(_ condition: Condition?, own: ChecklistAnswer?) -> Bool? {
            guard let condition else { return true }
            let effective = result.effective
            return condition.evaluate(
                number: { $0 == "." ? own?.numericValue : effective[$0]?.numericValue },
                string: { $0 == "." ? own?.stringValue : effective[$0]?.stringValue })
        }
        func issue(_ item: ChecklistItem, _ code: ChecklistIssue.Code, _ zh: String, _ en: String) {
            result.issues.append(ChecklistIssue(itemId: item.id, code: code, messageZh: zh, messageEn: en))
        }
        for section in sections {
            let sectionAsked = holds(section.relevant, own: nil) == true
            for item in section.items {
                let asked = sectionAsked && holds(item.relevant, own: nil) == true
                let answer = answers[item.id].flatMap { $0.isBlank ? nil : $0 }
                guard asked else {
                    if answer != nil {
                        issue(
                            item, .notRelevantAnswered,
                            "本项不适用，不应填写：\(item.textZh)",
                            "Item does not apply and should not be answered: \(item.textEn)")
                    }
                    continue
                }
                result.relevant.insert(item.id)
                guard let answer else {
                    if item.required {
                        issue(
                            item, .requiredMissing,
                            item.type == .photo ? "须上传照片：\(item.textZh)" : "必填项未填写：\(item.textZh)",
                            item.type == .photo ? "A photo is required: \(item.textEn)" : "Required item not answered: \(item.textEn)")
                    }
                    continue
                }
                guard item.accepts(answer) else {
                    if item.type == .choice || item.type == .likert, case .choice(let id) = answer {
                        issue(
                            item, .wrongType, "选项“\(id)”不属于本项：\(item.textZh)",
                            "'\(id)' is not a choice of: \(item.textEn)")
                    } else {
                        issue(
                            item, .wrongType, "答案类型应为“\(item.type.zh)”：\(item.textZh)",
                            "The answer should be \(item.type.en.lowercased()): \(item.textEn)")
                    }
                    continue
                }
                if holds(item.constraint, own: answer) == false {
                    issue(
                        item, .constraintFailed,
                        item.constraintMessageZh ?? "答案不符合要求（\(item.constraint!.text)）：\(item.textZh)",
                        item.constraintMessageEn ?? "Answer fails the check (\(item.constraint!.text)): \(item.textEn)")
                }
                result.effective[item.id] = answer
            }
        }
        let known = Set(items.map(\.id))
        for id in answers.values.keys.sorted() where !known.contains(id) {
            result.issues.append(
                ChecklistIssue(
                    itemId: id, code: .unknownItem,
                    messageZh: "“\(nameZh)”中没有此项：\(id)",
                    messageEn: "No such item in '\(nameEn)': \(id)"))
        }
        return result
    }

    /// Everything wrong with `answers`, in checklist order (unknown items last). Empty when the
    /// answers can be signed off.
    public func validate(_ answers: ChecklistAnswers) -> [ChecklistIssue] { walk(answers).issues }

    /// Whether an item is asked, given the answers.
    public func isRelevant(_ itemId: String, _ answers: ChecklistAnswers) -> Bool {
        walk(answers).relevant.contains(itemId)
    }

    /// The answers that open a finding: asked items with a valid answer whose `finding_when`
    /// holds (the item's own value is `.` or its id), in checklist order.
    public func findings(_ answers: ChecklistAnswers) -> [ChecklistFinding] {
        let walk = walk(answers)
        return items.compactMap { item in
            guard let condition = item.findingWhen, let own = walk.effective[item.id] else { return nil }
            let holds = condition.evaluate(
                number: { $0 == "." ? own.numericValue : walk.effective[$0]?.numericValue },
                string: { $0 == "." ? own.stringValue : walk.effective[$0]?.stringValue })
            guard holds == true else { return nil }
            return ChecklistFinding(itemId: item.id, category: item.category, textZh: item.textZh, textEn: item.textEn)
        }
    }
}
