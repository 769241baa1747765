import DudaoCore
import Foundation

/// What changed between a frozen evaluation result and a recomputation (SPEC §4.2: a result
/// can be recomputed but never silently changed, so the difference is shown instead).
struct SnapshotDiff: Encodable, Sendable {
    struct Change: Encodable, Sendable {
        var what: String
        var was: String
        var now: String
    }

    var changes: [Change]

    static func between(_ old: CountyEvaluationDTO, _ new: CountyEvaluationDTO) -> SnapshotDiff {
        var changes: [Change] = []
        func verdict(_ b: Bool?) -> String { b.map { $0 ? "pass" : "fail" } ?? "—" }
        if old.passed != new.passed { changes.append(Change(what: "passed", was: verdict(old.passed), now: verdict(new.passed))) }
        for stage in new.stages {
            guard let before = old.stages.first(where: { $0.stage == stage.stage }) else { continue }
            if before.passed != stage.passed { changes.append(Change(what: "\(stage.stage).passed", was: verdict(before.passed), now: verdict(stage.passed))) }
            for indicator in stage.indicators {
                guard let was = before.indicators.first(where: { $0.id == indicator.id }) else { continue }
                let a = was.cv.map { NumberText.fixed($0, 4) } ?? "—", b = indicator.cv.map { NumberText.fixed($0, 4) } ?? "—"
                if a != b { changes.append(Change(what: "\(stage.stage).\(indicator.id).cv", was: a, now: b)) }
            }
        }
        let oldSchools = Dictionary(old.schools.map { ("\($0.code)/\($0.stage)", $0.passed) }, uniquingKeysWith: { a, _ in a })
        for school in new.schools {
            let key = "\(school.code)/\(school.stage)"
            if let was = oldSchools[key], was != school.passed {
                changes.append(Change(what: "\(school.name) \(school.stage)", was: verdict(was), now: verdict(school.passed)))
            } else if oldSchools[key] == nil {
                changes.append(Change(what: "\(school.name) \(school.stage)", was: "—", now: verdict(school.passed)))
            }
        }
        return SnapshotDiff(changes: changes)
    }

    static func encode(_ dto: CountyEvaluationDTO) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(dto)) ?? Data(), as: UTF8.self)
    }

    static func decode(_ json: String) -> CountyEvaluationDTO? {
        try? JSONDecoder().decode(CountyEvaluationDTO.self, from: Data(json.utf8))
    }
}
